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
 * <p>Its state belongs to its loop's thread, as a Netty channel's to its event loop: every callback runs there
 * ({@link ProtocolCalls}), and a transport call from another thread is queued to the loop ({@link LoopTransport}), never
 * waits on a lock: a protocol that writes to other connections, on other loops, can never deadlock with them. It ends
 * ({@link #finish}) only between callbacks, as asyncio calls {@code connection_lost} soon after, not inside, the call
 * that closed it.
 */
final class ProtocolChannel implements LoopClient, ProtocolHandle {

    /** Reads of one socket in one turn of the loop while each fills the loop's buffer (as Netty's maxMessagesPerRead). */
    static final int READS_PER_TURN = 16;

    private final SocketChannel channel;
    private final ProtocolCalls calls;
    private final LoopTransport transport;
    private final ReadinessLoop loop;
    private final SocketAddress client;
    private final SocketAddress server;
    private final ProtocolEnding ending;
    private final ProtocolDeadlines deadlines; // null: no time limits
    private final WriteQueue pending = new WriteQueue();
    private SelectionKey key;
    private boolean eofReceived;
    private boolean eofAfterFlush;
    private boolean writingPaused;
    private boolean ended;
    private ProtocolEnd how = ProtocolEnd.CLOSED;
    private Exception lostCause;    // what connectionLost is told
    private Throwable failure;      // the protocol's own exception
    // Written on the loop, read from anywhere (the transport's questions, the owner's counters).
    private volatile boolean reading = true;
    private volatile boolean closing;
    private volatile boolean shutdownRequested;
    private volatile long bytesIn;
    private volatile long bytesOut;

    /**
     * {@code firstByteFrom} ({@link System#nanoTime()}): when the client's first.byte.timeout started (accept, or the end
     * of a PROXY header).
     */
    ProtocolChannel(SocketChannel channel, SocketAddress client, java.util.function.Supplier<StreamProtocol> factory,
            ReadinessLoop loop, StreamLimits limits, long firstByteFrom, ProtocolEnding ending) throws IOException {
        this.channel = channel;
        this.calls = new ProtocolCalls(factory);
        this.transport = new LoopTransport(this, loop);
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
        key = loop.register(channel, this); // begin, queued below, wakes the loop
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
        Throwable broken = calls.make();
        if (broken != null) {
            failed(broken);
            return;
        }
        call(ProtocolCalls.Callback.MADE, null);
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
                call(ProtocolCalls.Callback.DATA, view);
            } else if (n < 0) {
                eofReceived = true;
                stopReading();
                if (!call(ProtocolCalls.Callback.EOF, null) && !closing) {
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

    // ------------------------------------------------------------------ what its transport asks (LoopTransport)

    boolean isClosing() {
        return closing;
    }

    boolean isReading() {
        return reading;
    }

    int waitingBytes() {
        return pending.bytes();
    }

    SocketAddress clientAddress() {
        return client;
    }

    SocketAddress serverAddress() {
        return server;
    }

    void abortNow() {
        end(ProtocolEnd.CLOSED);
    }

    void pauseNow() {
        if (reading && !closing) {
            stopReading();
        }
    }

    void resumeNow() {
        if (!reading && !closing && !eofReceived) {
            reading = true;
            if (deadlines != null) {
                deadlines.readingResumed(System.nanoTime());
            }
            loop.interest(key, SelectionKey.OP_READ, true);
        }
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

    void writeNow(ByteBuffer data) {
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
        if (pausedBefore && pending.bytes() > ProtocolTransport.WRITE_LIMIT) { // asked to pause, and it went on writing
            lostCause = new IOException("more than " + ProtocolTransport.WRITE_LIMIT + " bytes waited to be sent after pauseWriting: the connection was aborted");
            end(ProtocolEnd.WRITE_LIMIT);
        } else if (pending.bytes() > ProtocolTransport.HIGH_WATER && !writingPaused) {
            writingPaused = true;
            call(ProtocolCalls.Callback.PAUSE, null);
        }
        settle();
    }

    void writeEofNow() {
        if (closing || eofAfterFlush) {
            return;
        }
        eofAfterFlush = true;
        if (pending.isEmpty()) {
            shutdownOutput();
        }
        settle();
    }

    void closeNow() {
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
        if (writingPaused && pending.bytes() <= ProtocolTransport.LOW_WATER && !closing) {
            writingPaused = false;
            call(ProtocolCalls.Callback.RESUME, null);
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
        if (!calls.running() && closing && !ended && pending.isEmpty()) {
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
        Throwable broken = calls.lost(lostCause);
        if (broken != null && failure == null) {
            failure = broken;
            if (how == ProtocolEnd.CLOSED || how == ProtocolEnd.SHUT_DOWN) { // a time limit stays what ended it
                how = ProtocolEnd.PROTOCOL_FAILED;
            }
        }
        ending.ended(this, how, failure);
    }

    /** Calls the protocol; what it throws ends its connection (connectionLost is told). Returns eofReceived's answer. */
    private boolean call(ProtocolCalls.Callback callback, ByteBuffer data) {
        if (ended) {
            return false;
        }
        Throwable broken = calls.call(callback, transport, data);
        if (broken != null) {
            failed(broken);
            return false;
        }
        return callback == ProtocolCalls.Callback.EOF && calls.keepOpen();
    }

    private void failed(Throwable t) {
        failure = t;
        lostCause = t instanceof Exception ex ? ex : new Exception(t);
        how = ProtocolEnd.PROTOCOL_FAILED;
        end(ProtocolEnd.PROTOCOL_FAILED);
    }

    @Override
    public String toString() {
        return "connection from " + client + " to " + server;
    }
}
