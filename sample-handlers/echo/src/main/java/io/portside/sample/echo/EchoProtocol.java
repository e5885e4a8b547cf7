package io.portside.sample.echo;

import java.nio.ByteBuffer;

import io.portside.handler.api.ProtocolTransport;
import io.portside.handler.api.StreamProtocol;

/**
 * Answers everything the client sends, upper-cased, as it arrives: the blocking {@link EchoStreamHandler} as an
 * event-driven protocol. While the client does not read what it was sent, it stops reading what the client sends
 * (asyncio's flow control), so a client can never make the server hold more than the transport's high-water mark.
 */
final class EchoProtocol implements StreamProtocol {

    private ProtocolTransport transport;

    @Override
    public void connectionMade(ProtocolTransport t) {
        transport = t;
    }

    @Override
    public void dataReceived(ByteBuffer data) {
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        Ascii.upperInPlace(bytes, 0, bytes.length);
        transport.write(bytes);
    }

    @Override
    public void pauseWriting() {
        transport.pauseReading();
    }

    @Override
    public void resumeWriting() {
        transport.resumeReading();
    }
}
