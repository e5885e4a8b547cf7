package io.portside.server.internal;

import java.io.IOException;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.Objects;

import io.portside.handler.api.ReplySocket;
import io.portside.handler.api.Transport;

/**
 * A datagram server's own channel as handlers see it. The channel is non-blocking (the serve loop selects on
 * it), so a send that finds no buffer space waits for room like Python's blocking {@code sendto} would,
 * but at most {@link #SEND_WAIT}: a Unix peer that never reads must not hold a worker forever.
 */
public final class ChannelReplySocket implements ReplySocket {

    /** How long a reply may wait for buffer space before it fails with a {@link SocketTimeoutException}. */
    public static final Duration SEND_WAIT = Duration.ofSeconds(10);

    private final DatagramChannel channel;
    private final ProtocolFamily family;
    private final Transport transport;
    private final SocketAddress localAddress;

    public ChannelReplySocket(DatagramChannel channel, ProtocolFamily family, Transport transport, SocketAddress localAddress) {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.family = family;
        this.transport = transport;
        this.localAddress = localAddress;
    }

    @Override
    public void sendTo(byte[] data, int offset, int length, SocketAddress target) throws IOException {
        Objects.checkFromIndexSize(offset, length, data.length);
        Objects.requireNonNull(target, "target: a client without an address (an unbound Unix datagram socket) cannot be answered");
        ByteBuffer datagram = ByteBuffer.wrap(data, offset, length);
        SocketAddress to = DatagramChannels.toChannelAddress(family, target);
        if (channel.send(datagram, to) == 0 && length > 0) {
            sendWhenWritable(datagram, to);
        }
    }

    private void sendWhenWritable(ByteBuffer datagram, SocketAddress to) throws IOException {
        long deadline = System.nanoTime() + SEND_WAIT.toNanos();
        try (Selector selector = channel.provider().openSelector()) {
            channel.register(selector, SelectionKey.OP_WRITE);
            do {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new SocketTimeoutException("reply not sent within " + SEND_WAIT + ": the peer's receive buffer stays full");
                }
                selector.select(Math.max(1, left / 1_000_000));
                selector.selectedKeys().clear();
            } while (channel.send(datagram, to) == 0);
        }
    }

    @Override
    public SocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public Transport transport() {
        return transport;
    }

    @Override
    public String toString() {
        return transport.scheme() + " socket " + localAddress;
    }
}
