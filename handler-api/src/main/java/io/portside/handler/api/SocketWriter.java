package io.portside.handler.api;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * A stream handler's unbuffered {@code wfile} (Python's {@code _SocketWriter}): every write is on its
 * way to the peer before it returns, so no {@code flush} is ever needed. Closing it marks it closed
 * and leaves the connection open.
 */
public final class SocketWriter extends OutputStream {

    private final OutputStream out;
    private boolean closed;

    public SocketWriter(OutputStream connectionOutput) {
        this.out = Objects.requireNonNull(connectionOutput, "connectionOutput");
    }

    @Override
    public void write(int b) throws IOException {
        ensureOpen();
        out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        ensureOpen();
        out.write(b, off, len);
    }

    @Override
    public void flush() {
        // Nothing is ever held back.
    }

    @Override
    public void close() {
        closed = true;
    }

    public boolean isClosed() {
        return closed;
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("wfile is closed");
        }
    }
}
