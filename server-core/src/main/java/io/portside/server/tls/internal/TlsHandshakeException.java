package io.portside.server.tls.internal;

import java.io.IOException;

/**
 * A TLS handshake that did not complete, and why, as a {@link Reason} the host counts and logs. The connection is to be
 * closed: the alert the JDK produced for the failure (if any) has been sent.
 */
public final class TlsHandshakeException extends IOException {

    private static final long serialVersionUID = 1L;

    /** Why a handshake failed. */
    public enum Reason {
        PLAINTEXT_CLIENT("plaintext client: the first bytes are not a TLS record"),
        UNKNOWN_CA("the client certificate does not chain to a trusted CA (tls.client.ca)"),
        BAD_CERTIFICATE("the client certificate does not verify"),
        NO_CLIENT_CERTIFICATE("the client sent no certificate (tls.client.auth=required)"),
        /** The client's alert: it does not trust or accept this server's certificate. */
        SERVER_CERTIFICATE_REJECTED("the client rejected the server certificate"),
        PROTOCOL_MISMATCH("no protocol version or cipher suite in common (tls.protocols, tls.ciphers)"),
        TIMEOUT("timed out"),
        CLIENT_GONE("the client closed or reset the connection during the handshake"),
        OTHER("handshake failed");

        private final String summary;

        Reason(String summary) {
            this.summary = summary;
        }

        /** A few words for a log line. */
        public String summary() {
            return summary;
        }
    }

    private final Reason reason;

    public TlsHandshakeException(Reason reason, Throwable cause) {
        super(reason.summary() + detail(cause), cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    /** One line for the log: the reason, then what the JDK (or the limit that closed it) said. */
    public String describe() {
        return getMessage();
    }

    private static String detail(Throwable cause) {
        if (cause == null || cause.getMessage() == null || cause.getMessage().isBlank()) {
            return "";
        }
        return ": " + cause.getMessage().replaceAll("\\s+", " ").strip();
    }
}
