package io.portside.handler.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Objects;

/**
 * A stream handler's {@code rfile}: buffered input with Python's {@code readline} and {@code read1}.
 *
 * <p>Not thread-safe: one handler reads it from one thread at a time. With a buffer size of 0 it
 * reads the connection directly and {@link #readLine} takes one byte at a time, so nothing is read
 * past the end of the line (Python's {@code rbufsize=0}).
 *
 * <p>The buffer size is an upper bound, as read-ahead: the buffer starts small and doubles while reads fill it,
 * and halves again after reads that use little of it. A connection that exchanges short lines then holds a
 * small buffer while it waits, which is what most of a server's connections do most of the time.
 */
public class LineInputStream extends InputStream {

    /** The first buffer's size (or the whole buffer size if that is smaller). */
    static final int INITIAL_BUFFER = 512;
    private static final byte[] UNALLOCATED = new byte[0];

    private final InputStream in;
    private final StreamRequest calls; // told where each readLine begins and ends; null for a plain stream
    private final int bufferSize;
    private byte[] buffer = UNALLOCATED; // allocated by the first read that needs it
    private int position;
    private int limit;
    private int smallReads; // consecutive fills that used at most an eighth of the buffer
    private boolean closed;

    /**
     * @param in         the connection's raw input
     * @param bufferSize the buffer size in bytes; 0 for unbuffered
     */
    public LineInputStream(InputStream in, int bufferSize) {
        this(in, null, bufferSize);
    }

    /**
     * Reads {@code connection}'s input, and tells the connection where each {@link #readLine} that has to wait begins
     * and ends ({@link StreamRequest#readCallStarted()}), so that the host's idle timeout bounds the wait for a whole
     * line rather than for each byte a client trickles in.
     *
     * @param connection the connection
     * @param bufferSize the buffer size in bytes; 0 for unbuffered
     * @since 1.4
     */
    public LineInputStream(StreamRequest connection, int bufferSize) {
        this(connection.inputStream(), connection, bufferSize);
    }

    private LineInputStream(InputStream in, StreamRequest calls, int bufferSize) {
        this.in = Objects.requireNonNull(in, "in");
        this.calls = calls;
        if (bufferSize < 0) {
            throw new IllegalArgumentException("bufferSize must be >= 0: " + bufferSize);
        }
        this.bufferSize = Math.max(bufferSize, 1);
    }

    /**
     * Reads one line including its terminating {@code \n}; at EOF the bytes read so far (possibly none).
     * Like Python's {@code readline()}, there is no length limit: prefer {@link #readLine(int)} for
     * input from untrusted peers.
     */
    public byte[] readLine() throws IOException {
        return readLine(Integer.MAX_VALUE);
    }

    /**
     * Reads one line including its {@code \n}, or at most {@code maxBytes} bytes if no newline comes
     * first (Python's {@code readline(size)}). Returns an empty array only at EOF.
     */
    public byte[] readLine(int maxBytes) throws IOException {
        ensureOpen();
        if (maxBytes <= 0) {
            return new byte[0];
        }
        boolean waited = false;
        try {
            ByteArrayOutputStream line = null;
            while (true) {
                if (position == limit) {
                    if (!waited && calls != null) {
                        waited = true;
                        calls.readCallStarted();
                    }
                    if (!fill()) {
                        return line == null ? new byte[0] : line.toByteArray();
                    }
                }
                int room = line == null ? maxBytes : maxBytes - line.size();
                int end = Math.min(limit, position + room);
                for (int i = position; i < end; i++) {
                    if (buffer[i] == '\n') {
                        return take(line, i + 1);
                    }
                }
                if (end - position == room) {
                    return take(line, end);
                }
                if (line == null) {
                    line = new ByteArrayOutputStream(Math.min(maxBytes, 256));
                }
                line.write(buffer, position, limit - position);
                position = limit;
            }
        } finally {
            if (waited) {
                calls.readCallEnded();
            }
        }
    }

    /**
     * Python's {@code read1(size)}: up to {@code maxBytes} bytes, from the buffer if it holds any, otherwise from
     * one read of the connection. Returns an empty array only at EOF (or for {@code maxBytes} 0). The array is
     * the caller's, so a handler that loops on it keeps no buffer of its own while it waits for the next bytes.
     */
    public byte[] read1(int maxBytes) throws IOException {
        ensureOpen();
        if (maxBytes <= 0) {
            return new byte[0];
        }
        if (position == limit && !fill()) {
            return new byte[0];
        }
        int end = Math.min(limit, position + maxBytes);
        return take(null, end);
    }

    private byte[] take(ByteArrayOutputStream line, int end) {
        byte[] chunk = Arrays.copyOfRange(buffer, position, end);
        position = end;
        if (line == null) {
            return chunk;
        }
        line.writeBytes(chunk);
        return line.toByteArray();
    }

    /**
     * Refills an empty buffer; false at EOF. The buffer is allocated here, on first use (a handler that only reads
     * in chunks at least as large as the buffer size never holds one), and resized here, while it holds nothing:
     * doubled after a read that filled it, halved after two reads in a row that used at most an eighth of it.
     */
    private boolean fill() throws IOException {
        int capacity = nextCapacity();
        if (buffer.length != capacity) {
            buffer = new byte[capacity];
        }
        position = 0;
        limit = 0;
        int n = in.read(buffer, 0, buffer.length);
        if (n <= 0) {
            return false;
        }
        limit = n;
        smallReads = n <= buffer.length / 8 ? smallReads + 1 : 0;
        return true;
    }

    private int nextCapacity() {
        int capacity = buffer.length;
        if (capacity == 0) {
            return Math.min(bufferSize, INITIAL_BUFFER);
        }
        if (limit == capacity && capacity < bufferSize) {
            return (int) Math.min(bufferSize, 2L * capacity);
        }
        if (smallReads >= 2 && capacity > INITIAL_BUFFER) {
            smallReads = 0;
            return Math.max(INITIAL_BUFFER, capacity / 2);
        }
        return capacity;
    }

    /** The buffer's current capacity (0 before the first read that needed one); for tests and diagnostics. */
    int bufferCapacity() {
        return buffer.length;
    }

    @Override
    public int read() throws IOException {
        ensureOpen();
        if (position == limit && !fill()) {
            return -1;
        }
        return buffer[position++] & 0xff;
    }

    /** Returns what is buffered, or else what one read of the connection gives: it never waits for more. */
    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        ensureOpen();
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        if (position == limit) {
            if (len >= bufferSize) {
                return in.read(b, off, len);
            }
            if (!fill()) {
                return -1;
            }
        }
        int n = Math.min(len, limit - position);
        System.arraycopy(buffer, position, b, off, n);
        position += n;
        return n;
    }

    @Override
    public int available() throws IOException {
        ensureOpen();
        return (limit - position) + in.available();
    }

    /** Marks this stream closed; the connection stays open (the server closes it). */
    @Override
    public void close() {
        closed = true;
    }

    public boolean isClosed() {
        return closed;
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("rfile is closed");
        }
    }
}
