package io.portside.server.tls.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.ReentrantLock;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * The unwrap side of a TLS connection: ciphertext from the raw stream in, plaintext out. Its lock guards the engine's
 * unwrap side and the two buffers; it takes the {@link TlsWriter}'s lock only to answer what an unwrap asks to send
 * (a KeyUpdate, a close_notify), and the writer never holds its own lock while it waits for this one.
 *
 * <p>Buffers are made when needed and dropped when the connection goes idle: a handler waiting for its client's next
 * record holds the few bytes of a record header, not the session's 16 KiB buffers.
 */
final class TlsReader {

    /** A TLS record header: type, version, length. */
    private static final int HEADER = 5;

    private final SSLEngine engine;
    private final InputStream net;
    private final TlsWriter writer;
    private final ReentrantLock lock = new ReentrantLock();
    private ByteBuffer netIn;   // ciphertext received, not yet unwrapped; read mode; null when empty and idle
    private ByteBuffer appIn;   // plaintext unwrapped, not yet read; read mode; null when empty and idle
    private boolean ended;      // the client's close_notify, or its EOF
    private int firstByte = -1; // the first byte the client sent, for telling a plaintext client
    private long plaintextRead;
    private volatile int held; // the buffers' bytes, for a look from another thread while this one waits

    TlsReader(SSLEngine engine, InputStream net, TlsWriter writer) {
        this.engine = engine;
        this.net = net;
        this.writer = writer;
    }

    /** Plaintext: what is available, at least one byte; -1 at the client's close_notify or EOF. */
    int read(byte[] b, int off, int len) throws IOException {
        lock.lock();
        try {
            while (true) {
                if (appIn != null && appIn.hasRemaining()) {
                    int n = Math.min(len, appIn.remaining());
                    appIn.get(b, off, n);
                    plaintextRead += n;
                    return n;
                }
                if (ended) {
                    return -1;
                }
                dropIfIdle();
                if (len >= engine.getSession().getApplicationBufferSize()) { // room for a whole record: no copy
                    ByteBuffer direct = ByteBuffer.wrap(b, off, len);
                    SSLEngineResult.Status s = unwrapOnce(direct);
                    if (direct.position() > off) {
                        int n = direct.position() - off;
                        plaintextRead += n;
                        return n;
                    }
                    if (s != SSLEngineResult.Status.BUFFER_OVERFLOW) {
                        continue;
                    }
                }
                unwrapIntoAppIn();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Plaintext already unwrapped: a read of that many does not wait. */
    int available() {
        if (!lock.tryLock()) {
            return 0; // another thread is reading
        }
        try {
            return appIn == null ? 0 : appIn.remaining();
        } finally {
            lock.unlock();
        }
    }

    /** One unwrap of the handshake, reading the client as needed. The client's EOF fails it. */
    void unwrapHandshake() throws IOException {
        lock.lock();
        try {
            if (ended) {
                throw new EOFException("the client closed the connection during the handshake");
            }
            unwrapIntoAppIn();
        } finally {
            lock.unlock();
        }
    }

    /** For a write that the engine holds until it has read something (a renegotiation): unwraps until it no longer does. */
    void unwrapForWriter() throws IOException {
        lock.lock();
        try {
            while (!ended && engine.getHandshakeStatus() == HandshakeStatus.NEED_UNWRAP) {
                unwrapIntoAppIn();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Bytes of buffer this side holds now: none while it waits for a client that sends nothing. */
    int heldBytes() {
        return held;
    }

    long plaintextRead() {
        return plaintextRead;
    }

    /** The first byte the client sent, -1 before it sent any. */
    int firstByte() {
        return firstByte;
    }

    /** Unwraps into appIn after what it already holds (a handshake or renegotiation may come between reads). */
    private void unwrapIntoAppIn() throws IOException {
        dropIfIdle();
        if ((netIn == null || !netIn.hasRemaining()) && !receive()) {
            endOfStream();
            return;
        }
        int size = engine.getSession().getApplicationBufferSize();
        if (appIn == null) {
            appIn = ByteBuffer.allocate(size).flip();
        }
        appIn.compact();
        SSLEngineResult.Status s;
        try {
            s = unwrapOnce(appIn);
        } finally {
            appIn.flip();
        }
        if (s == SSLEngineResult.Status.BUFFER_OVERFLOW) {
            appIn = ByteBuffer.allocate(appIn.remaining() + size).put(appIn).flip();
        }
        countHeld();
    }

    /** Everything read and unwrapped has been taken: the next wait for the client holds no buffer. */
    private void dropIfIdle() {
        if (appIn != null && !appIn.hasRemaining() && (netIn == null || !netIn.hasRemaining())) {
            appIn = null;
            countHeld();
        }
    }

    private void countHeld() {
        held = (netIn == null ? 0 : netIn.capacity()) + (appIn == null ? 0 : appIn.capacity());
    }

    /**
     * One unwrap into {@code dst}, reading the client first when no whole record is buffered. Returns its status
     * (BUFFER_OVERFLOW: dst is too small; CLOSED: the client's close_notify); the client's EOF ends the stream.
     */
    private SSLEngineResult.Status unwrapOnce(ByteBuffer dst) throws IOException {
        if ((netIn == null || !netIn.hasRemaining()) && !receive()) {
            return endOfStream();
        }
        while (true) {
            SSLEngineResult r = engine.unwrap(netIn, dst);
            switch (r.getStatus()) {
                case OK -> {
                    answer(r.getHandshakeStatus());
                    return r.getStatus();
                }
                case BUFFER_UNDERFLOW -> {
                    if (!receive()) {
                        return endOfStream();
                    }
                }
                case BUFFER_OVERFLOW -> {
                    return r.getStatus();
                }
                case CLOSED -> {
                    ended = true;
                    answerClose();
                    return r.getStatus();
                }
            }
        }
    }

    /** What the unwrap left the engine needing: its tasks run here, what it must send (a KeyUpdate) is sent here. */
    private void answer(HandshakeStatus status) throws IOException {
        if (status == HandshakeStatus.NEED_TASK) {
            status = EngineTasks.run(engine);
        }
        if (status == HandshakeStatus.NEED_WRAP && !engine.isInboundDone()) {
            writer.flushHandshake();
        }
    }

    /** TLS 1.2 answers the client's close_notify with its own (TLS 1.3 leaves this side open): best effort. */
    private void answerClose() {
        if (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
            try {
                writer.flushHandshake();
            } catch (IOException e) {
                // the client is gone: nothing to answer
            }
        }
    }

    private SSLEngineResult.Status endOfStream() {
        ended = true;
        try {
            engine.closeInbound();
        } catch (SSLException truncated) {
            // EOF without close_notify: to a handler, the end of the stream all the same, as for a plaintext connection
        }
        return SSLEngineResult.Status.CLOSED;
    }

    /** Reads more ciphertext into netIn; false at the client's EOF. */
    private boolean receive() throws IOException {
        if (netIn == null || !netIn.hasRemaining()) {
            return receiveIdle();
        }
        if (netIn.limit() == netIn.capacity() && netIn.position() == 0) { // a record larger than the buffer
            int size = Math.max(netIn.capacity() * 2, engine.getSession().getPacketBufferSize());
            netIn = ByteBuffer.allocate(size).put(netIn).flip();
            countHeld();
        }
        netIn.compact();
        try {
            int n = net.read(netIn.array(), netIn.arrayOffset() + netIn.position(), netIn.remaining());
            if (n < 0) {
                return false;
            }
            netIn.position(netIn.position() + n);
            return true;
        } finally {
            netIn.flip();
        }
    }

    /** Nothing buffered: drops the buffers while it waits for the next record's header, then makes one for the record. */
    private boolean receiveIdle() throws IOException {
        netIn = null;
        countHeld();
        byte[] header = new byte[HEADER];
        int n = net.read(header, 0, HEADER);
        if (n < 0) {
            return false;
        }
        if (firstByte < 0) {
            firstByte = header[0] & 0xff;
        }
        netIn = ByteBuffer.allocate(engine.getSession().getPacketBufferSize()).put(header, 0, n).flip();
        countHeld();
        return true;
    }
}
