package io.portside.server.internal;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

import io.portside.handler.api.ProtocolTransport;
import io.portside.handler.api.StreamProtocol;

/**
 * One connection served by a {@link StreamProtocol} on a {@link ReadinessLoop}: the loop reads into its own buffer and
 * calls the protocol inline; what a write leaves over waits in a {@link WriteQueue}, behind the loop's OP_WRITE. An idle
 * connection holds this object, its socket and its protocol: no thread, no stack, no buffer.
 *
 * <p>Its state belongs to its loop's thread, as a Netty channel's to its event loop: every callback runs there, and a
 * transport call from another thread is queued to the loop (asyncio's {@code call_soon_threadsafe}), never waits on a
 * lock: a protocol that writes to other connections, on other loops, can never deadlock with them. The connection ends
 * ({@link #finish}) only between callbacks, as asyncio calls {@code connection_lost} soon after, not inside, the call
 * that closed it.
 */
final class ProtocolChannel implements LoopClient, ProtocolTransport, ProtocolHandle {

    /** Reads of one socket in one turn of the loop while each fills the loop's buffer (as Netty's maxMessagesPerRead). */
    static final int READS_PER_TURN = 16;

    private static final java.util.concurrent.atomic.AtomicIntegerFieldUpdater<ProtocolChannel> QUEUED =
            java.util.concurrent.atomic.AtomicIntegerFieldUpdater.newUpdater(ProtocolChannel.class, "queuedBytes");

    private final SocketChannel channel;
    private final java.util.function.Supplier<StreamProtocol> factory;
    private StreamProtocol protocol; // made on the loop, at the start
    private final ReadinessLoop loop;
    private final SocketAddress client;
    private final SocketAddress server;
    private final ProtocolEnding ending;
    private final ProtocolDeadlines deadlines; // null: no time limits
    private final WriteQueue pending = new WriteQueue();
    private SelectionKey key;
    private boolean made;
    private boolean eofReceived;
    private boolean eofAfterFlush;
    private boolean writingPaused;
    private boolean ended;
    private int depth;              // protocol callbacks running now (a write inside dataReceived can call pauseWriting)
    private ProtocolEnd how = ProtocolEnd.CLOSED;
    private Exception lostCause;    // what connectionLost is told
    private Throwable failure;      // the protocol's own exception
    // Written on the loop, read from anywhere (the transport's questions, the owner's counters).
    private volatile boolean reading = true;
    private volatile boolean closing;
    private volatile boolean shutdownRequested;
    private volatile long bytesIn;
    private volatile long bytesOut;
    private volatile int queuedBytes; // written by other threads and queued to the loop, not yet in the write queue

    /**
     * {@code firstByteFrom} ({@link System#nanoTime()}): when the client's first.byte.timeout started (accept, or the end
     * of a PROXY header).
     */
    ProtocolChannel(SocketChannel channel, SocketAddress client, java.util.function.Supplier<StreamProtocol> factory,
            ReadinessLoop loop, StreamLimits limits, long firstByteFrom, ProtocolEnding ending) throws IOException {
        this.channel = channel;
        this.factory = factory;
        this.loop = loop;
        this.ending = ending;
        this.client = client != null ? client : channel.getRemoteAddress();
        this.server = channel.getLocalAddress();
        this.deadlines = ProtocolDeadlines.of(limits, firstByteFrom);
    }

    /** Registers with the loop (no interest yet); {@code connectionMade} and the first read follow on the loop. */
    void start() throws IOException {
        if (shutdownRequested) {
            return; // shut down before it started: the end queued to the loop finishes it
        }
        channel.configureBlocking(false);
        key = loop.register(channel, 0, this);
        if (deadlines != null) {
            loop.timed(1);
        }
        loop.execute(this::begin);
    }

    private void begin() {
        if (closing) { // shut down before it began: the protocol never hears of it
            settle();
            return;
        }
        try {
            protocol = factory.get(); // on the loop: a slow factory never holds up the accepting thread
        } catch (Throwable t) {
            failure = t;
            how = ProtocolEnd.PROTOCOL_FAILED;
            end(ProtocolEnd.PROTOCOL_FAILED);
            return;
        }
        made = true;
        call(Callback.MADE, null);
        if (!closing && reading) {
            loop.interest(key, SelectionKey.OP_READ, true);
        }
        settle();
    }

    // ------------------------------------------------------------------ what the loop calls

    /**
     * Reads what the socket holds into the loop's buffer and hands it over, again while a read fills the buffer (a
     * client streaming), at most {@value #READS_PER_TURN} times: the other connections of the loop get their turn.
     */
    @Override
    public void readable(ByteBuffer scratch, ByteBuffer view) {
        if (shutdownRequested) { // the host cut the client off: what the socket says now is not the client's
            end(ProtocolEnd.SHUT_DOWN);
            return;
        }
        for (int reads = 0; reads < READS_PER_TURN && reading && !closing; reads++) {
            scratch.clear();
            int n;
            try {
                n = channel.read(scratch);
            } catch (IOException e) {
                lost(e);
                return;
            }
            if (n > 0) {
                bytesIn += n;
                if (deadlines != null) {
                    deadlines.read(System.nanoTime());
                }
                view.clear().limit(n);
                call(Callback.DATA, view);
            } else if (n < 0) {
                eofReceived = true;
                stopReading();
                if (!call(Callback.EOF, null) && !closing) {
                    closeNow();
                }
            }
            if (n < scratch.capacity()) {
                break; // the socket is drained: no read that would find nothing
            }
        }
        settle();
    }

    @Override
    public void writable() {
        flush();
        settle();
    }

    @Override
    public void closed() {
        lost(new IOException("the connection's readiness loop let go of it"));
    }

    @Override
    public void tick(long now) {
        ProtocolEnd due = deadlines == null || ended ? null : deadlines.due(now, closing, reading, !pending.isEmpty());
        if (due != null) {
            if (lostCause == null) {
                lostCause = deadlines.failure(due.timeout());
            }
            end(due);
        }
    }

    // ------------------------------------------------------------------ ProtocolTransport: on the loop, or queued to it

    @Override
    public void write(ByteBuffer data) {
        if (loop.inLoop()) {
            writeNow(data);
        } else if (!closing && data.hasRemaining()) {
            ByteBuffer copy = ByteBuffer.allocate(data.remaining()).put(data).flip(); // the caller may reuse data
            int n = copy.remaining();
            QUEUED.addAndGet(this, n); // counted in writeBufferSize until the loop takes it: a writer that waits on it sees it
            loop.execute(() -> {
                QUEUED.addAndGet(this, -n);
                writeNow(copy);
            });
        }
    }

    @Override
    public void writeEof() {
        onLoop(this::writeEofNow);
    }

    @Override
    public void close() {
        onLoop(this::closeNow);
    }

    @Override
    public void abort() {
        onLoop(() -> end(ProtocolEnd.CLOSED));
    }

    @Override
    public boolean isClosing() {
        return closing;
    }

    @Override
    public void pauseReading() {
        onLoop(() -> {
            if (reading && !closing) {
                stopReading();
            }
        });
    }

    @Override
    public void resumeReading() {
        onLoop(() -> {
            if (!reading && !closing && !eofReceived) {
                reading = true;
                if (deadlines != null) {
                    deadlines.readingResumed(System.nanoTime());
                }
                loop.interest(key, SelectionKey.OP_READ, true);
            }
        });
    }

    @Override
    public boolean isReading() {
        return reading;
    }

    @Override
    public int writeBufferSize() {
        return pending.bytes() + queuedBytes;
    }

    @Override
    public SocketAddress clientAddress() {
        return client;
    }

    @Override
    public SocketAddress serverAddress() {
        return server;
    }

    // ------------------------------------------------------------------ ProtocolHandle

    @Override
    public void shutdown() {
        if (loop.inLoop()) {
            end(ProtocolEnd.SHUT_DOWN);
            return;
        }
        // Cut the client off now, even if a callback of this protocol is stuck on the loop; tell the protocol there.
        shutdownRequested = true;
        try {
            channel.shutdownInput();
            channel.shutdownOutput();
        } catch (IOException | RuntimeException alreadyGone) {
            // closed or reset already: the loop ends it all the same
        }
        loop.execute(() -> end(ProtocolEnd.SHUT_DOWN));
    }

    @Override
    public long bytesIn() {
        return bytesIn;
    }

    @Override
    public long bytesOut() {
        return bytesOut;
    }

    // ------------------------------------------------------------------ the inner workings, on the loop

    private void onLoop(Runnable action) {
        if (loop.inLoop()) {
            action.run();
        } else {
            loop.execute(action);
        }
    }

    private void writeNow(ByteBuffer data) {
        if (closing || eofAfterFlush || !data.hasRemaining()) {
            return;
        }
        boolean pausedBefore = writingPaused;
        if (pending.isEmpty()) {
            try {
                for (int n; data.hasRemaining() && (n = channel.write(data)) > 0; ) {
                    bytesOut += n;
                }
            } catch (IOException e) {
                lost(e);
                return;
            }
            if (!data.hasRemaining()) {
                return;
            }
            if (deadlines != null) {
                deadlines.wrote(System.nanoTime());
            }
            loop.interest(key, SelectionKey.OP_WRITE, true);
        }
        pending.add(data);
        if (pausedBefore && pending.bytes() > WRITE_LIMIT) { // asked to pause, and it went on writing
            lostCause = new IOException("more than " + WRITE_LIMIT + " bytes waited to be sent after pauseWriting: the connection was aborted");
            end(ProtocolEnd.WRITE_LIMIT);
        } else if (pending.bytes() > HIGH_WATER && !writingPaused) {
            writingPaused = true;
            call(Callback.PAUSE, null);
        }
        settle();
    }

    private void writeEofNow() {
        if (closing || eofAfterFlush) {
            return;
        }
        eofAfterFlush = true;
        if (pending.isEmpty()) {
            shutdownOutput();
        }
        settle();
    }

    private void closeNow() {
        if (!closing) {
            closing = true;
            stopReading();
            settle();
        }
    }

    private void flush() {
        if (pending.isEmpty()) {
            return;
        }
        try {
            long wrote = pending.flushTo(channel);
            bytesOut += wrote;
            if (wrote > 0 && deadlines != null) {
                deadlines.wrote(System.nanoTime());
            }
        } catch (IOException e) {
            lost(e);
            return;
        }
        if (pending.isEmpty()) {
            loop.interest(key, SelectionKey.OP_WRITE, false);
            if (eofAfterFlush) {
                shutdownOutput();
            }
        }
        if (writingPaused && pending.bytes() <= LOW_WATER && !closing) {
            writingPaused = false;
            call(Callback.RESUME, null);
        }
    }

    private void shutdownOutput() {
        try {
            channel.shutdownOutput();
        } catch (IOException e) {
            lost(e);
        }
    }

    /** A closing connection reads no more: its interest goes, or the level-triggered loop would report it again and again. */
    private void stopReading() {
        if (reading) {
            reading = false;
            if (key != null) {
                loop.interest(key, SelectionKey.OP_READ, false);
            }
        }
    }

    /** The socket failed (reset, broken pipe): the connection ends, connectionLost is told why. */
    private void lost(IOException e) {
        if (shutdownRequested) { // the host shut the socket down under a write or read: its close, not the client's
            end(ProtocolEnd.SHUT_DOWN);
            return;
        }
        if (lostCause == null) {
            lostCause = e;
        }
        end(ProtocolEnd.CLIENT_GONE);
    }

    /** Ends it now, dropping what waits to be sent; the first reason given is the one reported. */
    private void end(ProtocolEnd reason) {
        if (how == ProtocolEnd.CLOSED && !ended) {
            how = reason;
        }
        closing = true;
        stopReading();
        pending.clear();
        settle();
    }

    /** Between callbacks: a closing connection with nothing left to send ends now. */
    private void settle() {
        if (depth == 0 && closing && !ended && pending.isEmpty()) {
            finish();
        }
    }

    private void finish() {
        ended = true;
        if (key != null) {
            key.cancel();
            if (deadlines != null) {
                loop.timed(-1);
            }
        }
        if (made) {
            depth++;
            try {
                protocol.connectionLost(lostCause);
            } catch (Throwable t) { // contained: see call()
                if (failure == null) {
                    failure = t;
                    if (how == ProtocolEnd.CLOSED || how == ProtocolEnd.SHUT_DOWN) { // a time limit stays what ended it
                        how = ProtocolEnd.PROTOCOL_FAILED;
                    }
                }
            } finally {
                depth--;
            }
        }
        ending.ended(this, how, failure);
    }

    private enum Callback { MADE, DATA, EOF, PAUSE, RESUME }

    /**
     * Calls the protocol. Whatever it throws (checked exceptions past javac, an OutOfMemoryError from a length a client
     * claimed, a StackOverflowError) ends its own connection only: connectionLost is told, the loop goes on. Returns
     * eofReceived's answer.
     */
    private boolean call(Callback callback, ByteBuffer data) {
        if (ended) {
            return false;
        }
        depth++;
        try {
            switch (callback) {
                case MADE -> protocol.connectionMade(this);
                case DATA -> protocol.dataReceived(data);
                case EOF -> {
                    return protocol.eofReceived();
                }
                case PAUSE -> protocol.pauseWriting();
                case RESUME -> protocol.resumeWriting();
            }
        } catch (Throwable t) {
            failure = t;
            lostCause = t instanceof Exception ex ? ex : new Exception(t);
            how = ProtocolEnd.PROTOCOL_FAILED;
            end(ProtocolEnd.PROTOCOL_FAILED);
        } finally {
            depth--;
        }
        return false;
    }

    @Override
    public String toString() {
        return "connection from " + client + " to " + server;
    }
}
