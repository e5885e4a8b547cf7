package io.portside.server.internal;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;

import io.portside.handler.api.ProtocolTransport;
import io.portside.handler.api.StreamProtocol;

/**
 * One connection served by a {@link StreamProtocol} on a {@link ReadinessLoop}: the loop reads into its own buffer and
 * calls the protocol inline; what a write leaves over waits here, behind the loop's OP_WRITE. An idle connection holds
 * this object, its socket and its protocol: no thread, no stack, no buffer.
 *
 * <p>Everything runs under this object's lock, so a connection's callbacks never overlap and a transport call from
 * another thread waits for the current callback. The connection ends ({@link #finish}) only between callbacks, as
 * asyncio calls {@code connection_lost} soon after, not inside, the call that closed it.
 */
final class ProtocolChannel implements LoopClient, ProtocolTransport, ProtocolHandle {

    /** Reads of one socket in one turn of the loop while each fills the loop's buffer (as Netty's maxMessagesPerRead). */
    static final int READS_PER_TURN = 16;

    private final SocketChannel channel;
    private final StreamProtocol protocol;
    private final ReadinessLoop loop;
    private final SocketAddress client;
    private final SocketAddress server;
    private final ProtocolEnding ending;
    private final ProtocolDeadlines deadlines; // null: no time limits
    private SelectionKey key;
    private ArrayDeque<ByteBuffer> pending; // null while nothing waits
    private int pendingBytes;
    private boolean reading = true;
    private boolean eofReceived;
    private boolean eofAfterFlush;
    private boolean writingPaused;
    private boolean closing;
    private boolean ended;
    private int depth;              // protocol callbacks running now (a write inside dataReceived can call pauseWriting)
    private ProtocolEnd how = ProtocolEnd.CLOSED;
    private Exception lostCause;    // what connectionLost is told
    private Throwable failure;      // the protocol's own exception
    private volatile boolean shutdownRequested; // by another thread: the loop ends it at its next look
    private volatile long bytesIn;  // written on the loop, read by the owner after the end
    private volatile long bytesOut;

    ProtocolChannel(SocketChannel channel, SocketAddress client, StreamProtocol protocol, ReadinessLoop loop, StreamLimits limits,
            ProtocolEnding ending) throws IOException {
        this.channel = channel;
        this.protocol = protocol;
        this.loop = loop;
        this.ending = ending;
        this.client = client != null ? client : channel.getRemoteAddress();
        this.server = channel.getLocalAddress();
        this.deadlines = ProtocolDeadlines.of(limits, System.nanoTime());
    }

    /** Registers with the loop, then {@code connectionMade}; reading starts after it unless the protocol paused it. */
    synchronized void start() throws IOException {
        channel.configureBlocking(false);
        key = loop.register(channel, 0, this);
        if (deadlines != null) {
            loop.timed(1);
        }
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
    public synchronized void readable(ByteBuffer scratch, ByteBuffer view) {
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
                    close();
                }
            }
            if (n < scratch.capacity()) {
                break; // the socket is drained: no read that would find nothing
            }
        }
        settle();
    }

    @Override
    public synchronized void writable() {
        flush();
        settle();
    }

    @Override
    public synchronized void closed() {
        lost(new IOException("the connection's readiness loop let go of it"));
        settle();
    }

    @Override
    public synchronized void tick(long now) {
        ProtocolEnd due = deadlines == null || ended ? null : deadlines.due(now, closing, reading, pending != null);
        if (due != null) {
            if (lostCause == null) {
                lostCause = deadlines.failure(due.timeout());
            }
            end(due);
        }
    }

    // ------------------------------------------------------------------ ProtocolTransport

    @Override
    public synchronized void write(ByteBuffer data) {
        if (closing || eofAfterFlush || !data.hasRemaining()) {
            return;
        }
        if (pending == null) {
            try {
                for (int n; data.hasRemaining() && (n = channel.write(data)) > 0; ) {
                    bytesOut += n;
                }
            } catch (IOException e) {
                lost(e);
                settle();
                return;
            }
            if (!data.hasRemaining()) {
                return;
            }
            pending = new ArrayDeque<>(4);
            if (deadlines != null) {
                deadlines.wrote(System.nanoTime());
            }
            loop.interest(key, SelectionKey.OP_WRITE, true);
        }
        ByteBuffer copy = ByteBuffer.allocate(data.remaining()).put(data).flip();
        pending.add(copy);
        pendingBytes += copy.remaining();
        if (pendingBytes > WRITE_LIMIT) {
            lostCause = new IOException("more than " + WRITE_LIMIT + " bytes waited to be sent: the connection was aborted");
            end(ProtocolEnd.WRITE_LIMIT);
        } else if (pendingBytes > HIGH_WATER && !writingPaused) {
            writingPaused = true;
            call(Callback.PAUSE, null);
        }
        settle();
    }

    @Override
    public synchronized void writeEof() {
        if (closing || eofAfterFlush) {
            return;
        }
        eofAfterFlush = true;
        if (pending == null) {
            shutdownOutput();
        }
        settle();
    }

    @Override
    public synchronized void close() {
        if (!closing) {
            closing = true;
            stopReading();
            settle();
        }
    }

    @Override
    public synchronized void abort() {
        end(ProtocolEnd.CLOSED);
    }

    @Override
    public synchronized boolean isClosing() {
        return closing;
    }

    @Override
    public synchronized void pauseReading() {
        if (reading && !closing) {
            stopReading();
        }
    }

    @Override
    public synchronized void resumeReading() {
        if (!reading && !closing && !eofReceived) {
            reading = true;
            if (deadlines != null) {
                deadlines.readingResumed(System.nanoTime());
            }
            loop.interest(key, SelectionKey.OP_READ, true);
        }
    }

    @Override
    public synchronized boolean isReading() {
        return reading;
    }

    @Override
    public synchronized int writeBufferSize() {
        return pendingBytes;
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
            synchronized (this) {
                end(ProtocolEnd.SHUT_DOWN);
            }
            return;
        }
        // Never wait for this connection's lock: a protocol stuck in a callback holds it. Cut the client off now,
        // and let the loop tell the protocol when it can.
        shutdownRequested = true;
        try {
            channel.shutdownInput();
            channel.shutdownOutput();
        } catch (IOException | RuntimeException alreadyGone) {
            // closed or reset already: the loop ends it all the same
        }
        loop.execute(() -> {
            synchronized (this) {
                end(ProtocolEnd.SHUT_DOWN);
            }
        });
    }

    @Override
    public long bytesIn() {
        return bytesIn;
    }

    @Override
    public long bytesOut() {
        return bytesOut;
    }

    // ------------------------------------------------------------------ the inner workings

    private void flush() {
        if (pending == null) {
            return;
        }
        try {
            for (ByteBuffer b; (b = pending.peek()) != null; pending.poll()) {
                int wrote = channel.write(b);
                pendingBytes -= wrote;
                bytesOut += wrote;
                if (wrote > 0 && deadlines != null) {
                    deadlines.wrote(System.nanoTime());
                }
                if (b.hasRemaining()) {
                    break;
                }
            }
        } catch (IOException e) {
            lost(e);
            return;
        }
        if (pending.isEmpty()) {
            pending = null;
            loop.interest(key, SelectionKey.OP_WRITE, false);
            if (eofAfterFlush) {
                shutdownOutput();
            }
        }
        if (writingPaused && pendingBytes <= LOW_WATER && !closing) {
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
        pending = null;
        pendingBytes = 0;
        settle();
    }

    /** Between callbacks: a closing connection with nothing left to send ends now. */
    private void settle() {
        if (depth == 0 && closing && !ended && pending == null) {
            finish();
        }
    }

    private void finish() {
        ended = true;
        if (key != null) {
            key.cancel();
            loop.released(key);
            if (deadlines != null) {
                loop.timed(-1);
            }
        }
        depth++;
        try {
            protocol.connectionLost(lostCause);
        } catch (RuntimeException | Error e) {
            rethrowFatal(e);
            if (failure == null) {
                failure = e;
                how = ProtocolEnd.PROTOCOL_FAILED;
            }
        } finally {
            depth--;
        }
        ending.ended(this, how, failure);
    }

    private enum Callback { MADE, DATA, EOF, PAUSE, RESUME }

    /** Calls the protocol; an exception it throws ends the connection (connectionLost is told). Returns eofReceived's answer. */
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
        } catch (RuntimeException | Error e) {
            rethrowFatal(e);
            failure = e;
            lostCause = e instanceof Exception ex ? ex : new Exception(e);
            how = ProtocolEnd.PROTOCOL_FAILED;
            end(ProtocolEnd.PROTOCOL_FAILED);
        } finally {
            depth--;
        }
        return false;
    }

    /** The JVM itself failing is not the protocol's fault to contain; a deep recursion in a protocol is. */
    private static void rethrowFatal(Throwable t) {
        if (t instanceof VirtualMachineError && !(t instanceof StackOverflowError)) {
            throw (VirtualMachineError) t;
        }
    }

    @Override
    public String toString() {
        return "connection from " + client + " to " + server;
    }
}
