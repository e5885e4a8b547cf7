package io.portside.server.internal;

/** What a request moved, read by the host once the request has ended (for its counters). */
public interface ByteCounts {

    /** Bytes received: read from a connection, or a datagram's length. */
    long bytesIn();

    /** Bytes sent: written to a connection, or a datagram's replies. */
    long bytesOut();
}
