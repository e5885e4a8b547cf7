package io.portside.server.internal;

import java.io.IOException;
import java.net.SocketAddress;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

import io.portside.handler.api.DatagramRequest;
import io.portside.handler.api.ReplySocket;
import io.portside.handler.api.Transport;

/**
 * One received datagram and the socket to answer from. The packet array is the request's own copy, handed
 * out as is: handlers may read it freely, nothing else holds it. Each datagram is its own request: equality is
 * identity. Replies sent through {@link #socket()} count as this request's bytes out.
 */
public final class ReceivedDatagram implements DatagramRequest, ByteCounts {

    private final byte[] packet;
    private final ReplySocket socket;
    private final AtomicLong sent = new AtomicLong();

    public ReceivedDatagram(byte[] packet, ReplySocket socket) {
        this.packet = Objects.requireNonNull(packet, "packet");
        this.socket = socket == null ? null : new CountedReplySocket(socket);
    }

    @Override
    public byte[] packet() {
        return packet;
    }

    @Override
    public ReplySocket socket() {
        return socket;
    }

    @Override
    public long bytesIn() {
        return packet.length;
    }

    /** The bytes of the replies sent so far through {@link #socket()}. */
    @Override
    public long bytesOut() {
        return sent.get();
    }

    @Override
    public String toString() {
        return packet.length + "-byte datagram on " + socket;
    }

    /** The shared socket, as this request's handler sees it: each reply it sends is counted once sent. */
    private final class CountedReplySocket implements ReplySocket {
        private final ReplySocket shared;

        CountedReplySocket(ReplySocket shared) {
            this.shared = shared;
        }

        @Override
        public void sendTo(byte[] data, int offset, int length, SocketAddress target) throws IOException {
            shared.sendTo(data, offset, length, target);
            sent.addAndGet(length);
        }

        @Override
        public SocketAddress localAddress() {
            return shared.localAddress();
        }

        @Override
        public Transport transport() {
            return shared.transport();
        }

        @Override
        public String toString() {
            return shared.toString();
        }
    }
}
