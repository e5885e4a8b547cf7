package io.portside.server.internal;

/** Which limit closed a stream connection: the handler's own {@code timeout}, or one of the host's. */
public enum StreamTimeout {
    /** The handler's {@code StreamRequest.setTimeout}: one read or write of the socket took longer. */
    HANDLER("timeout", "timed out after %s"),
    /** The host's {@code idle.timeout}: one read the handler asked for (a whole line, for readLine) took longer. */
    IDLE("idle.timeout", "idle timeout: the client sent nothing the handler could use for %s (idle.timeout); the host closed the connection"),
    /** The host's {@code first.byte.timeout}: the client sent nothing at all that long after connecting. */
    FIRST_BYTE("first.byte.timeout", "first-byte timeout: the client sent nothing for %s after connecting (first.byte.timeout); the host closed the connection"),
    /** The listener's {@code proxy.timeout}: the proxy did not send the whole PROXY protocol header in time. */
    PROXY_HEADER("proxy.timeout", "PROXY header timeout: not complete within %s (proxy.timeout); the host closed the connection"),
    /** The listener's {@code tls.handshake.timeout}: the TLS handshake did not complete in time. */
    HANDSHAKE("tls.handshake.timeout", "TLS handshake timeout: not complete within %s (tls.handshake.timeout); the host closed the connection"),
    /** The host's {@code write.timeout}: the client took none of a write for that long. */
    WRITE("write.timeout", "write timeout: the client read nothing for %s (write.timeout); the host closed the connection");

    private final String key;
    private final String message;

    StreamTimeout(String key, String message) {
        this.key = key;
        this.message = message;
    }

    /** The configuration key (or handler field) that set it. */
    public String key() {
        return key;
    }

    /** True for the host's limits, false for the handler's own timeout. */
    public boolean byHost() {
        return this != HANDLER;
    }

    String message(String limit) {
        return String.format(message, limit);
    }
}
