package io.portside.server.tls.internal;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

import io.portside.handler.api.TlsInfo;

/** The facts of a settled TLS session, copied out of the engine once, so handlers never touch {@code javax.net.ssl}. */
public record TlsSessionInfo(String protocol, String cipherSuite, Optional<String> serverName,
        Optional<String> applicationProtocol, List<X509Certificate> clientCertificates) implements TlsInfo {

    public TlsSessionInfo {
        clientCertificates = List.copyOf(clientCertificates);
    }

    /** The facts of the engine's session, after its handshake. */
    public static TlsSessionInfo of(SSLEngine engine) {
        SSLSession session = engine.getSession();
        String alpn = engine.getApplicationProtocol(); // null: not negotiated; "": no ALPN
        return new TlsSessionInfo(session.getProtocol(), session.getCipherSuite(), serverName(session),
                alpn == null || alpn.isEmpty() ? Optional.empty() : Optional.of(alpn), peerChain(session));
    }

    private static Optional<String> serverName(SSLSession session) {
        if (session instanceof ExtendedSSLSession extended) {
            for (SNIServerName name : extended.getRequestedServerNames()) {
                if (name instanceof SNIHostName host) {
                    return Optional.of(host.getAsciiName());
                }
            }
        }
        return Optional.empty();
    }

    /** The engine reports only a chain its trust manager verified; none sent (or none asked for) is empty. */
    private static List<X509Certificate> peerChain(SSLSession session) {
        try {
            List<X509Certificate> chain = new ArrayList<>();
            for (Certificate c : session.getPeerCertificates()) {
                if (c instanceof X509Certificate x) {
                    chain.add(x);
                }
            }
            return chain;
        } catch (SSLPeerUnverifiedException none) {
            return List.of();
        }
    }
}
