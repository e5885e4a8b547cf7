package io.portside.server.internal;

import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

import io.portside.handler.api.ProtocolTransport;

/**
 * A {@link ProtocolChannel} as its protocol sees it. On the connection's loop a call acts at once; from any other
 * thread it is queued to the loop (asyncio's {@code call_soon_threadsafe}) and never waits, so protocols that write to
 * each other across loops cannot deadlock.
 */
final class LoopTransport implements ProtocolTransport {

    private static final AtomicIntegerFieldUpdater<LoopTransport> QUEUED =
            AtomicIntegerFieldUpdater.newUpdater(LoopTransport.class, "queuedBytes");

    private final ProtocolChannel connection;
    private final ReadinessLoop loop;
    private volatile int queuedBytes; // written by other threads and queued to the loop, not yet in the write queue

    LoopTransport(ProtocolChannel connection, ReadinessLoop loop) {
        this.connection = connection;
        this.loop = loop;
    }

    @Override
    public void write(ByteBuffer data) {
        if (loop.inLoop()) {
            connection.writeNow(data);
        } else if (!connection.isClosing() && data.hasRemaining()) {
            ByteBuffer copy = ByteBuffer.allocate(data.remaining()).put(data).flip(); // the caller may reuse data
            int n = copy.remaining();
            QUEUED.addAndGet(this, n); // in writeBufferSize until the loop takes it: a writer that waits on it sees it
            loop.execute(() -> {
                QUEUED.addAndGet(this, -n);
                connection.writeNow(copy);
            });
        }
    }

    @Override
    public void writeEof() {
        onLoop(connection::writeEofNow);
    }

    @Override
    public void close() {
        onLoop(connection::closeNow);
    }

    @Override
    public void abort() {
        onLoop(connection::abortNow);
    }

    @Override
    public boolean isClosing() {
        return connection.isClosing();
    }

    @Override
    public void pauseReading() {
        onLoop(connection::pauseNow);
    }

    @Override
    public void resumeReading() {
        onLoop(connection::resumeNow);
    }

    @Override
    public boolean isReading() {
        return connection.isReading();
    }

    @Override
    public int writeBufferSize() {
        return connection.waitingBytes() + queuedBytes;
    }

    @Override
    public SocketAddress clientAddress() {
        return connection.clientAddress();
    }

    @Override
    public SocketAddress serverAddress() {
        return connection.serverAddress();
    }

    private void onLoop(Runnable action) {
        if (loop.inLoop()) {
            action.run();
        } else {
            loop.execute(action);
        }
    }

    @Override
    public String toString() {
        return connection.toString();
    }
}
