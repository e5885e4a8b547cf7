package io.portside.policy.support.testing;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

import io.portside.handler.api.PeerCredentials;
import io.portside.handler.api.PolicyRequest;
import io.portside.handler.api.TlsInfo;
import io.portside.handler.api.Transport;

/** A policy request as the host would pass it: plain data, for the policy bundles' unit tests. Never embedded in a bundle. */
public record TestRequest(SocketAddress clientAddress, Transport transport, String listener, Optional<PeerCredentials> peerCredentials,
        Optional<TlsInfo> tls) implements PolicyRequest {

    public TestRequest(SocketAddress clientAddress, Transport transport, String listener, Optional<PeerCredentials> peerCredentials) {
        this(clientAddress, transport, listener, peerCredentials, Optional.empty());
    }

    /** A TCP client of a TLS listener that presented {@code chain} (leaf first; empty for none). */
    public static TestRequest tlsClient(X509Certificate... chain) {
        TlsInfo session = new TlsInfo() {
            @Override
            public String protocol() {
                return "TLSv1.3";
            }

            @Override
            public String cipherSuite() {
                return "TLS_AES_128_GCM_SHA256";
            }

            @Override
            public Optional<String> serverName() {
                return Optional.empty();
            }

            @Override
            public Optional<String> applicationProtocol() {
                return Optional.empty();
            }

            @Override
            public List<X509Certificate> clientCertificates() {
                return List.of(chain);
            }
        };
        TestRequest plain = tcp("127.0.0.1");
        return new TestRequest(plain.clientAddress(), Transport.TCP, "test", Optional.empty(), Optional.of(session));
    }

    public static TestRequest tcp(String ip) {
        try {
            return new TestRequest(new InetSocketAddress(InetAddress.getByName(ip), 40000), Transport.TCP, "test", Optional.empty());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    public static TestRequest tcp(byte[] address) {
        try {
            return new TestRequest(new InetSocketAddress(InetAddress.getByAddress(address), 40000), Transport.TCP, "test", Optional.empty());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    public static TestRequest unix(String user, String group) {
        return new TestRequest(UnixDomainSocketAddress.of(""), Transport.UNIX_STREAM, "test",
                Optional.of(new PeerCredentials(user, group)));
    }

    public static TestRequest unixDatagram() {
        return new TestRequest(null, Transport.UNIX_DATAGRAM, "test", Optional.empty());
    }
}
