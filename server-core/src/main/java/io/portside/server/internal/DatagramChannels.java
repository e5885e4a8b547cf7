package io.portside.server.internal;

import java.io.IOException;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.DatagramChannel;

import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * Opens datagram channels and translates addresses between users and channels. The JDK has no Unix
 * datagram channel, so that family comes from the embedded junixsocket; its address type never leaves
 * this package: users see {@link UnixDomainSocketAddress}, as with Unix stream servers.
 */
public final class DatagramChannels {

    private DatagramChannels() {
    }

    /** A new unbound channel of the family, in blocking mode. */
    public static DatagramChannel open(ProtocolFamily family) throws IOException {
        if (family == StandardProtocolFamily.UNIX) {
            AFUNIXDatagramChannel channel = AFUNIXDatagramChannel.open();
            // junixsocket would delete whatever is at the bound path on close: the server removes its own file itself.
            channel.setDeleteOnClose(false);
            return channel;
        }
        return DatagramChannel.open(family);
    }

    /** The address a channel of {@code family} understands, for bind and send. */
    public static SocketAddress toChannelAddress(ProtocolFamily family, SocketAddress address) throws IOException {
        if (family == StandardProtocolFamily.UNIX && address instanceof UnixDomainSocketAddress unix) {
            return AFUNIXSocketAddress.of(unix.getPath());
        }
        return address;
    }

    /**
     * The address users see for one the channel reported: a {@link UnixDomainSocketAddress} for a Unix
     * socket bound to a path, {@code null} for none (an unbound peer), otherwise unchanged (abstract
     * Unix names stay opaque but can still be replied to).
     */
    public static SocketAddress fromChannelAddress(SocketAddress address) {
        if (address instanceof AFUNIXSocketAddress unix) {
            return unix.hasFilename() ? UnixDomainSocketAddress.of(unix.getPath()) : unix;
        }
        return address;
    }
}
