package io.portside.sample.echo;

import io.portside.handler.api.DatagramRequestHandler;

/** Answers each datagram with its content stripped of surrounding whitespace and upper-cased, as the seed's UDP server. */
final class EchoDatagramHandler extends DatagramRequestHandler {

    @Override
    protected void handle() {
        int start = 0;
        int end = packet.length;
        while (start < end && Ascii.isSpace(packet[start])) {
            start++;
        }
        while (end > start && Ascii.isSpace(packet[end - 1])) {
            end--;
        }
        byte[] reply = java.util.Arrays.copyOfRange(packet, start, end);
        Ascii.upperInPlace(reply, 0, reply.length);
        wfile.writeBytes(reply);
    }
}
