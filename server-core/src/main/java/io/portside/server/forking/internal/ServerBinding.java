package io.portside.server.forking.internal;

import java.io.FileDescriptor;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.SelectableChannel;

import io.portside.handler.api.Transport;
import io.portside.server.forking.HandlerClass;

/**
 * The server the workers serve: what a worker needs to know of it at start.
 *
 * @param shared a datagram server's socket, which every worker gets once to send replies from; null for streams
 */
record ServerBinding(Transport transport, SocketAddress address, ProtocolFamily family, FileDescriptor shared) {

    /** The binding to {@code address}, reading the descriptor of a datagram server's {@code channel}. */
    static ServerBinding of(Transport transport, SocketAddress address, SelectableChannel channel) throws IOException {
        FileDescriptor shared = transport.isStream() ? null : Descriptors.of(channel);
        return new ServerBinding(transport, address, familyOf(address), shared);
    }

    boolean serves(Transport otherTransport, SocketAddress otherAddress) {
        return address.equals(otherAddress) && transport == otherTransport;
    }

    /** What a worker's INIT frame tells it: this server, and the handler class to load. */
    Wire.Init init(HandlerClass handler) {
        return new Wire.Init(transport, address, family, handler.className(), handler.classPath());
    }

    static ProtocolFamily familyOf(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            return inet.getAddress() instanceof Inet6Address ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
        }
        return StandardProtocolFamily.UNIX;
    }

    @Override
    public String toString() {
        return transport.scheme() + " " + address;
    }
}
