package io.portside.server.internal;

/** A connection a protocol serves, as its owner holds it. */
public interface ProtocolHandle {

    /**
     * Ends it from the server's side ({@link ProtocolEnd#SHUT_DOWN}). Never waits: from another thread the client is cut
     * off at once (both directions shut) and the protocol is told on its loop, even if a callback of it is stuck there.
     */
    void shutdown();

    /** Bytes read from the client so far. */
    long bytesIn();

    /** Bytes written to the client so far. */
    long bytesOut();
}
