package io.portside.server.internal;

/** Told once, on the connection's loop, when a connection served by a protocol has ended and its socket closed. */
@FunctionalInterface
public interface ProtocolEnding {

    /** {@code failure}: what the protocol threw ({@link ProtocolEnd#PROTOCOL_FAILED}), else null. */
    void ended(ProtocolHandle connection, ProtocolEnd how, Throwable failure);
}
