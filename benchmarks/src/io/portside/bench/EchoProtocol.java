package io.portside.bench;

import java.nio.ByteBuffer;

import io.portside.handler.api.ProtocolTransport;
import io.portside.handler.api.StreamProtocol;

/**
 * The harness's echo as an event-driven {@link StreamProtocol} (the plain candidate's {@code --model protocol}): what
 * arrives goes straight back, upper-cased for the line and unix kinds (the echo sample's rule, which loadgen's
 * {@code -k} checks) and unchanged for raw ({@code bulk}). Flow control as asyncio's echo does it (and
 * ProtocolServingTest's Echo): while the client does not take what it was sent, stop reading from it.
 *
 * <p>Upper-casing needs a writable copy ({@code dataReceived} gets a read-only view of the loop's buffer). The copy
 * goes into a buffer of the loop thread's own, not of the connection's, so that an idle connection holds no buffer:
 * the transport sends what the socket takes at once and copies only the rest, so the buffer is free again when
 * {@code write} returns.
 */
final class EchoProtocol implements StreamProtocol {

    /** As large as the loop's read buffer, so one copy always holds what one call gives. */
    private static final int SCRATCH_SIZE = 64 * 1024;
    private static final ThreadLocal<ByteBuffer> SCRATCH = ThreadLocal.withInitial(() -> ByteBuffer.allocate(SCRATCH_SIZE));

    private final boolean upperCase;
    private ProtocolTransport transport;

    private EchoProtocol(boolean upperCase) {
        this.upperCase = upperCase;
    }

    /** The line protocol: each byte back upper-cased (ASCII), as the echo sample answers. */
    static EchoProtocol upperCasing() {
        return new EchoProtocol(true);
    }

    /** The raw protocol: bytes back unchanged. */
    static EchoProtocol raw() {
        return new EchoProtocol(false);
    }

    @Override
    public void connectionMade(ProtocolTransport t) {
        transport = t;
    }

    @Override
    public void dataReceived(ByteBuffer data) {
        if (!upperCase) {
            transport.write(data);
            return;
        }
        ByteBuffer copy = SCRATCH.get();
        if (copy.capacity() < data.remaining()) { // a transport reading more at once than the loop does today
            copy = ByteBuffer.allocate(data.remaining());
            SCRATCH.set(copy);
        }
        copy.clear();
        copy.put(data).flip();
        Ascii.upperInPlace(copy.array(), 0, copy.limit());
        transport.write(copy);
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
