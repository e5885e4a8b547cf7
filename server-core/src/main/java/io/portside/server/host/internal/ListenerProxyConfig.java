package io.portside.server.host.internal;

import static io.portside.server.host.internal.ListenerConfig.PROXY_PROTOCOL;
import static io.portside.server.host.internal.ListenerConfig.PROXY_TIMEOUT;
import static io.portside.server.host.internal.ListenerConfig.PROXY_TRUSTED;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.portside.handler.api.AddressRange;
import io.portside.handler.api.Transport;
import io.portside.server.proxy.internal.ProxyMode;

/**
 * A listener's PROXY protocol keys, read once from its configuration. With the protocol on, every connection must
 * start with a header, and on TCP only from a trusted proxy: a connection from anywhere else is refused, never guessed
 * about. On a Unix socket the socket file's permissions ({@code unix.mode}, {@code unix.group}) say who may connect,
 * so {@code proxy.trusted} does not apply there.
 */
record ListenerProxyConfig(ProxyMode mode, List<AddressRange> trusted, Duration timeout) {

    static final ListenerProxyConfig NONE = new ListenerProxyConfig(ProxyMode.NONE, List.of(), PROXY_TIMEOUT.defaultValue());

    /** @throws IllegalArgumentException naming the key and the value that is wrong */
    static ListenerProxyConfig from(Map<String, Object> props, Endpoint endpoint) {
        ProxyMode mode;
        try {
            mode = ProxyMode.parse(PROXY_PROTOCOL.from(props));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + PROXY_PROTOCOL + "': " + e.getMessage(), e);
        }
        List<AddressRange> trusted = new ArrayList<>();
        for (String item : PROXY_TRUSTED.from(props)) {
            try {
                trusted.add(AddressRange.parse(item));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + PROXY_TRUSTED + "': " + e.getMessage(), e);
            }
        }
        Transport transport = endpoint.transport();
        if (mode.enabled() && !transport.isStream()) {
            throw new IllegalArgumentException("'" + PROXY_PROTOCOL + "': the PROXY protocol is for stream endpoints (tcp:, unix:), not "
                    + endpoint.text());
        }
        if (mode.enabled() && transport == Transport.TCP && trusted.isEmpty()) {
            throw new IllegalArgumentException("'" + PROXY_TRUSTED + "' is required with " + PROXY_PROTOCOL + "=" + mode.key()
                    + ": the addresses of the proxies allowed to send a header (e.g. 127.0.0.1, 10.0.0.0/24)");
        }
        if (transport == Transport.UNIX_STREAM && !trusted.isEmpty()) {
            throw new IllegalArgumentException("'" + PROXY_TRUSTED + "' does not apply to a Unix socket: its file's permissions"
                    + " (unix.mode, unix.group) say who may connect");
        }
        return new ListenerProxyConfig(mode, List.copyOf(trusted), PROXY_TIMEOUT.from(props));
    }

    boolean enabled() {
        return mode.enabled();
    }

    /** True if {@code peer}, the connection's own peer, may send a header: any peer of a Unix socket, a listed TCP one. */
    boolean trusts(SocketAddress peer) {
        if (!(peer instanceof InetSocketAddress inet)) {
            return true;
        }
        if (inet.getAddress() == null) {
            return false;
        }
        for (AddressRange range : trusted) {
            if (range.contains(inet.getAddress())) {
                return true;
            }
        }
        return false;
    }
}
