package io.portside.server.tls.internal;

import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.util.Locale;

import javax.net.ssl.SSLException;

import io.portside.server.internal.HostTimeoutException;
import io.portside.server.tls.internal.TlsHandshakeException.Reason;

/**
 * Tells why a handshake failed. The JDK says most of it only in its exception messages and causes: this is the one place
 * that reads them, and it turns them into a {@link Reason} once.
 */
final class HandshakeFailures {

    private HandshakeFailures() {
    }

    /**
     * @param firstByte the first byte the client sent, or -1 when it sent none
     * @param timedOut  whether one of the host's limits closed the connection
     */
    static Reason classify(Exception failure, int firstByte, boolean timedOut) {
        if (firstByte >= 0 && !startsTlsRecord(firstByte)) {
            return Reason.PLAINTEXT_CLIENT; // whatever came of it next: a timeout, or the JDK's "unrecognized SSL message"
        }
        if (timedOut || failure instanceof HostTimeoutException) {
            return Reason.TIMEOUT;
        }
        if (failure instanceof RuntimeException) {
            return Reason.OTHER;
        }
        if (!(failure instanceof SSLException)) {
            return Reason.CLIENT_GONE; // EOF, reset, broken pipe
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof CertPathBuilderException) {
                return Reason.UNKNOWN_CA;
            }
        }
        for (Throwable t = failure.getCause(); t != null; t = t.getCause()) {
            if (t instanceof CertificateException || t instanceof java.security.cert.CertPathValidatorException) {
                return Reason.BAD_CERTIFICATE;
            }
        }
        return byMessage(String.valueOf(failure.getMessage()).toLowerCase(Locale.ROOT));
    }

    private static Reason byMessage(String m) {
        if (m.contains("received fatal alert")) {
            if (m.contains("certificate") || m.contains("unknown_ca")) {
                return Reason.SERVER_CERTIFICATE_REJECTED;
            }
            if (m.contains("protocol_version") || m.contains("handshake_failure") || m.contains("insufficient_security")) {
                return Reason.PROTOCOL_MISMATCH;
            }
        }
        if (m.contains("empty client certificate chain") || m.contains("peer not authenticated")) {
            return Reason.NO_CLIENT_CERTIFICATE;
        }
        if (m.contains("unable to find valid certification path") || m.contains("pkix path building failed")) {
            return Reason.UNKNOWN_CA;
        }
        if (m.contains("no appropriate protocol") || m.contains("cipher suites in common") || m.contains("not enabled or supported")
                || m.contains("no negotiable cipher suite") || m.contains("protocol_version")) {
            return Reason.PROTOCOL_MISMATCH;
        }
        if (m.contains("unsupported or unrecognized ssl message") || m.contains("plaintext connection")) {
            return Reason.PLAINTEXT_CLIENT;
        }
        if (m.contains("close_notify") || m.contains("connection reset") || m.contains("broken pipe")) {
            return Reason.CLIENT_GONE;
        }
        return Reason.OTHER;
    }

    /** A TLS record starts with its content type (20..24), an SSLv2-style ClientHello with its high bit set. */
    static boolean startsTlsRecord(int firstByte) {
        return (firstByte >= 20 && firstByte <= 24) || (firstByte & 0x80) != 0;
    }
}
