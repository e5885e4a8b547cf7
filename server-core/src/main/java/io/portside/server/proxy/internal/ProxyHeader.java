package io.portside.server.proxy.internal;

import java.net.SocketAddress;
import java.util.List;
import java.util.Optional;

import io.portside.handler.api.ProxyInfo;

/**
 * A PROXY protocol header as received.
 *
 * @param version 1 or 2
 * @param local a version 2 {@code LOCAL} header (the proxy's own connection, a health check)
 * @param source the original client, empty for {@code LOCAL}, {@code UNKNOWN} or an unspecified family or transport
 * @param destination the address the client connected to, empty where {@code source} is
 * @param tlvs the version 2 TLVs as sent
 * @param ssl the {@code PP2_TYPE_SSL} TLV decoded, if sent
 * @param length how many bytes the header took on the wire
 */
public record ProxyHeader(int version, boolean local, Optional<SocketAddress> source, Optional<SocketAddress> destination,
        List<Tlv> tlvs, Optional<ProxyInfo.Ssl> ssl, int length) implements ProxyInfo {

    public ProxyHeader {
        tlvs = List.copyOf(tlvs);
        if (source.isPresent() != destination.isPresent()) {
            throw new IllegalArgumentException("a PROXY header names both endpoints or neither");
        }
    }

    /** A version 1 {@code TCP4} or {@code TCP6} line. */
    static ProxyHeader v1(SocketAddress source, SocketAddress destination, int length) {
        return new ProxyHeader(1, false, Optional.of(source), Optional.of(destination), List.of(), Optional.empty(), length);
    }

    /** A version 1 {@code UNKNOWN} line: the connection's own endpoints stand. */
    static ProxyHeader v1Unknown(int length) {
        return new ProxyHeader(1, false, Optional.empty(), Optional.empty(), List.of(), Optional.empty(), length);
    }

    /** The client for policies, logs and the handler: the header's source, else (LOCAL, UNKNOWN) the connection's peer. */
    public SocketAddress clientAddress(SocketAddress connectionPeer) {
        return source.orElse(connectionPeer);
    }

    /** The address the client connected to: the header's destination, else the connection's own local address. */
    public SocketAddress serverAddress(SocketAddress connectionLocal) {
        return destination.orElse(connectionLocal);
    }

    /** Whether the header names the client, so it replaces the connection's peer address. */
    public boolean hasAddresses() {
        return source.isPresent();
    }
}
