package io.portside.handler.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Objects;

/**
 * A stream handler's {@code rfile}: buffered input with Python's {@code readline}.
 *
 * <p>Not thread-safe: one handler reads it from one thread at a time. With a buffer size of 0 it
 * reads the connection directly and {@link #readLine} takes one byte at a time, so nothing is read
 * past the end of the line (Python's {@code rbufsize=0}).
 */
public class LineInputStream extends InputStream {

    private static final byte[] UNALLOCATED = new byte[0];

    private final InputStream in;
    private final int bufferSize;
    private byte[] buffer = UNALLOCATED; // allocated by the first read that needs it
    private int position;
    private int limit;
    private boolean closed;

    /**
     * @param in         the connection's raw input
     * @param bufferSize the buffer size in bytes; 0 for unbuffered
     */
    public LineInputStream(InputStream in, int bufferSize) {
        this.in = Objects.requireNonNull(in, "in");
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
        ByteArrayOutputStream line = null;
        while (true) {
            if (position == limit && !fill()) {
                return line == null ? new byte[0] : line.toByteArray();
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
     * Refills an empty buffer; false at EOF. The buffer is allocated here, on first use: a handler that only reads
     * in chunks at least as large as the buffer (as the echo sample does) never holds one.
     */
    private boolean fill() throws IOException {
        if (buffer == UNALLOCATED) {
            buffer = new byte[bufferSize];
        }
        int n = in.read(buffer, 0, buffer.length);
        if (n <= 0) {
            return false;
        }
        position = 0;
        limit = n;
        return true;
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
