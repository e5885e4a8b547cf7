package io.portside.handler.api;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The TLS session of a connection, as its handshake settled it ({@link StreamRequest#tls()}): what a handler may want to
 * know about its client without touching {@code javax.net.ssl}. The handler's {@code rfile} and {@code wfile} carry
 * plaintext either way.
 *
 * @since 1.5
 */
@ProviderType
public interface TlsInfo {

    /** The negotiated protocol, e.g. {@code TLSv1.3}. */
    String protocol();

    /** The negotiated cipher suite, e.g. {@code TLS_AES_128_GCM_SHA256}. */
    String cipherSuite();

    /** The host name the client asked for (SNI), if it sent one. */
    Optional<String> serverName();

    /** The application protocol agreed by ALPN, if any. */
    Optional<String> applicationProtocol();

    /** The client's certificate chain, verified against {@code tls.client.ca}, leaf first; empty when it sent none. */
    List<X509Certificate> clientCertificates();

    /** The verified client certificate's subject (RFC 2253), if the client sent one. */
    default Optional<String> clientSubject() {
        List<X509Certificate> chain = clientCertificates();
        return chain.isEmpty() ? Optional.empty() : Optional.of(chain.get(0).getSubjectX500Principal().getName());
    }
}
