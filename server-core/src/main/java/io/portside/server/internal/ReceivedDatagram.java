package io.portside.server.internal;

import io.portside.handler.api.DatagramRequest;
import io.portside.handler.api.ReplySocket;

/**
 * One received datagram and the socket to answer from. The packet array is the request's own copy, handed
 * out as is: handlers may read it freely, nothing else holds it.
 */
public record ReceivedDatagram(byte[] packet, ReplySocket socket) implements DatagramRequest {

    /** Each datagram is its own request: identity, not the record's content equality (the host keys maps by it). */
    @Override
    public boolean equals(Object other) {
        return this == other;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }

    @Override
    public String toString() {
        return packet.length + "-byte datagram on " + socket;
    }
}
