package io.portside.server.internal;

/** How a connection served by a protocol ended: what its owner counts and logs. */
public enum ProtocolEnd {
    /** Closed cleanly, by the protocol or after the client's EOF. */
    CLOSED(null),
    /** The client reset it or went away (the socket failed). */
    CLIENT_GONE(null),
    /** Its protocol threw; connectionLost was told the exception. */
    PROTOCOL_FAILED(null),
    /** Its protocol kept writing past {@code ProtocolTransport.WRITE_LIMIT} to a client that did not read. */
    WRITE_LIMIT(null),
    /** The client sent nothing for the listener's {@code idle.timeout} while the protocol was reading. */
    IDLE_TIMEOUT(StreamTimeout.IDLE),
    /** The client sent nothing for {@code first.byte.timeout} after connecting. */
    FIRST_BYTE_TIMEOUT(StreamTimeout.FIRST_BYTE),
    /** The client took none of what waited to be sent for {@code write.timeout}. */
    WRITE_TIMEOUT(StreamTimeout.WRITE),
    /** The server or host closed it (server close, drain deadline, listener removed). */
    SHUT_DOWN(null);

    private final StreamTimeout timeout;

    ProtocolEnd(StreamTimeout timeout) {
        this.timeout = timeout;
    }

    /** The host's time limit that ended it, or null. */
    public StreamTimeout timeout() {
        return timeout;
    }
}
