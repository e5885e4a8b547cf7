package io.portside.handler.api;

import java.net.SocketAddress;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/** What a {@link RequestPolicy} is told about a request. */
@ProviderType
public interface PolicyRequest {

    /** The client's address; {@code null} for an unbound Unix datagram client. */
    SocketAddress clientAddress();

    /** The listener's transport. */
    Transport transport();

    /** The listener's name. */
    String listener();

    /** The peer's credentials where the transport reports them (Unix stream sockets). */
    Optional<PeerCredentials> peerCredentials();

    /**
     * The connection's TLS session, its verified client certificate included, on a listener that serves TLS; empty
     * elsewhere. On such a listener the policies judge after the handshake, on the connection's own thread.
     *
     * @since 1.5
     */
    default Optional<TlsInfo> tls() {
        return Optional.empty();
    }

    /**
     * The PROXY protocol header a load balancer sent ahead of the connection, on a listener with
     * {@code proxy.protocol} on; empty elsewhere. {@link #clientAddress()} is already the client it names.
     *
     * @since 1.6
     */
    default Optional<ProxyInfo> proxy() {
        return Optional.empty();
    }
}
