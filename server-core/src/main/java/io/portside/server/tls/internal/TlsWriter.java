package io.portside.server.tls.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.ReentrantLock;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;

/**
 * The wrap side of a TLS connection: plaintext in, records out to the raw stream, which sends each whole. Its lock
 * guards the engine's wrap side and its buffer; when the engine wants to read before it writes again (a renegotiation),
 * the writer lets its lock go first and then waits for the {@link TlsReader}'s, so the two never wait on each other.
 *
 * <p>Its buffer lives for one write call and is sized to it: an idle connection holds none.
 */
final class TlsWriter {

    private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);
    /** TLS's overhead on one record, at most: header, MAC or tag, padding (TLS 1.2 CBC). */
    private static final int RECORD_OVERHEAD = 5 + 64 + 256;

    private final SSLEngine engine;
    private final OutputStream net;
    private final ReentrantLock lock = new ReentrantLock();
    private TlsReader reader;
    private IOException broken; // a record only partly sent: every write after it would send garbage
    private long plaintextWritten;

    TlsWriter(SSLEngine engine, OutputStream net) {
        this.engine = engine;
        this.net = net;
    }

    void reader(TlsReader reader) {
        this.reader = reader;
    }

    /** Sends every byte, as records of at most the session's size. */
    void write(byte[] b, int off, int len) throws IOException {
        ByteBuffer src = ByteBuffer.wrap(b, off, len);
        ByteBuffer out = null;
        while (src.hasRemaining()) {
            HandshakeStatus status;
            lock.lock();
            try {
                if (out == null) {
                    out = ByteBuffer.allocate(Math.min(packetSize(), len + RECORD_OVERHEAD));
                }
                int before = src.remaining();
                SSLEngineResult r = wrap(src, out);
                plaintextWritten += before - src.remaining();
                if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                    out = ByteBuffer.allocate(Math.max(out.capacity() * 2, packetSize()));
                    continue;
                }
                status = r.getStatus() == SSLEngineResult.Status.CLOSED ? closed() : r.getHandshakeStatus();
                if (status == HandshakeStatus.NEED_TASK) {
                    status = EngineTasks.run(engine);
                }
                if (status == HandshakeStatus.NEED_WRAP) {
                    status = flushLocked(out);
                }
            } finally {
                lock.unlock();
            }
            if (status == HandshakeStatus.NEED_UNWRAP || status == HandshakeStatus.NEED_UNWRAP_AGAIN) {
                reader.unwrapForWriter(); // not under our lock: the reader may need it to answer
            }
        }
    }

    /** Sends what the engine has to send (handshake messages, an alert, a KeyUpdate); the status it leaves. */
    HandshakeStatus flushHandshake() throws IOException {
        lock.lock();
        try {
            return flushLocked(ByteBuffer.allocate(packetSize()));
        } finally {
            lock.unlock();
        }
    }

    /** Ends this direction: close_notify, then whatever the engine still holds (a failed handshake's alert). */
    void closeOutbound() throws IOException {
        lock.lock();
        try {
            engine.closeOutbound();
            flushLocked(ByteBuffer.allocate(packetSize()));
        } finally {
            lock.unlock();
        }
    }

    long plaintextWritten() {
        return plaintextWritten;
    }

    private HandshakeStatus flushLocked(ByteBuffer out) throws IOException {
        while (true) {
            SSLEngineResult r = wrap(NOTHING, out);
            HandshakeStatus status = r.getHandshakeStatus();
            if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                out = ByteBuffer.allocate(Math.max(out.capacity() * 2, packetSize()));
                continue;
            }
            if (status == HandshakeStatus.NEED_TASK) {
                status = EngineTasks.run(engine);
            }
            boolean more = r.bytesProduced() > 0 && (status == HandshakeStatus.NEED_WRAP || !engine.isOutboundDone()
                    && r.getStatus() == SSLEngineResult.Status.CLOSED);
            if (!more) {
                return status;
            }
        }
    }

    /** One wrap, and its record sent whole. */
    private SSLEngineResult wrap(ByteBuffer src, ByteBuffer out) throws IOException {
        if (broken != null) {
            throw broken;
        }
        out.clear();
        SSLEngineResult r = engine.wrap(src, out);
        if (out.position() > 0) {
            try {
                net.write(out.array(), out.arrayOffset(), out.position());
            } catch (IOException e) {
                broken = e;
                throw e;
            }
        }
        return r;
    }

    private HandshakeStatus closed() throws SocketException {
        throw new SocketException("the TLS connection is closed for writing");
    }

    private int packetSize() {
        return engine.getSession().getPacketBufferSize();
    }
}
