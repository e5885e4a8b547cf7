package io.portside.server.host.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;

import io.portside.handler.api.Transport;

/**
 * A parsed endpoint string: {@code tcp://HOST:PORT}, {@code udp://HOST:PORT} (IPv6 hosts in brackets),
 * {@code unix:PATH} or {@code unixgram:PATH}, with relative paths resolved against the host's home.
 *
 * @param transport the transport
 * @param address   an {@link InetSocketAddress} or a {@link Path}
 * @param text      the normalised form, used as the listener's key
 */
record Endpoint(Transport transport, Object address, String text) {

    static Endpoint parse(String spec, Path home) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("empty endpoint");
        }
        String s = spec.trim();
        int colon = s.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("endpoint '" + s + "' has no transport (expected e.g. tcp://127.0.0.1:9999 or unix:sockets/x.sock)");
        }
        Transport transport = Transport.ofScheme(s.substring(0, colon));
        String rest = s.substring(colon + 1);
        if (transport == Transport.UNIX_STREAM || transport == Transport.UNIX_DATAGRAM) {
            if (rest.startsWith("//")) {
                rest = rest.substring(2);
            }
            if (rest.isEmpty()) {
                throw new IllegalArgumentException("endpoint '" + s + "' has no socket path");
            }
            Path path = home.resolve(rest).normalize().toAbsolutePath();
            return new Endpoint(transport, path, transport.scheme() + ":" + path);
        }
        if (!rest.startsWith("//")) {
            throw new IllegalArgumentException("endpoint '" + s + "' must look like " + transport.scheme() + "://HOST:PORT");
        }
        String hostPort = rest.substring(2);
        int portColon = hostPort.lastIndexOf(':');
        if (portColon <= 0) {
            throw new IllegalArgumentException("endpoint '" + s + "' has no port");
        }
        String host = hostPort.substring(0, portColon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(hostPort.substring(portColon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("endpoint '" + s + "' has an invalid port");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("endpoint '" + s + "': port must be 0-65535");
        }
        InetAddress ip;
        try {
            ip = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("endpoint '" + s + "': unknown host '" + host + "'");
        }
        String hostText = ip.getHostAddress().contains(":") ? "[" + ip.getHostAddress() + "]" : ip.getHostAddress();
        return new Endpoint(transport, new InetSocketAddress(ip, port), transport.scheme() + "://" + hostText + ":" + port);
    }

    Path path() {
        return (Path) address;
    }

    InetSocketAddress inetAddress() {
        return (InetSocketAddress) address;
    }

    /** The endpoint as the server reports it once bound (an ephemeral port resolved). */
    static String describe(Transport transport, SocketAddress bound) {
        if (bound instanceof InetSocketAddress inet) {
            String host = inet.getAddress().getHostAddress();
            return transport.scheme() + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + inet.getPort();
        }
        return transport.scheme() + ":" + bound;
    }

    @Override
    public String toString() {
        return text;
    }
}
