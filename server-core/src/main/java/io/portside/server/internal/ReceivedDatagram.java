package io.portside.server.internal;

import java.util.Objects;

import io.portside.handler.api.DatagramRequest;
import io.portside.handler.api.ReplySocket;

/**
 * One received datagram and the socket to answer from. The packet array is the request's own copy, handed
 * out as is: handlers may read it freely, nothing else holds it. Each datagram is its own request: equality is
 * identity.
 */
public final class ReceivedDatagram implements DatagramRequest, ByteCounts {

    private final byte[] packet;
    private final ReplySocket socket;

    public ReceivedDatagram(byte[] packet, ReplySocket socket) {
        this.packet = Objects.requireNonNull(packet, "packet");
        this.socket = socket;
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

    /** Replies go out through the shared socket and are not counted per request. */
    @Override
    public long bytesOut() {
        return 0;
    }

    @Override
    public String toString() {
        return packet.length + "-byte datagram on " + socket;
    }
}
