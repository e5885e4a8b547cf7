package io.portside.server.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * A connection's {@code wfile} as every stream request shapes it: a single byte is a one-byte write, an empty write
 * costs nothing, and closing the stream leaves the connection to the server. Subclasses say how bytes are written.
 */
public abstract class ConnectionOutput extends OutputStream {

    @Override
    public final void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public final void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len > 0) {
            writeAll(b, off, len);
        }
    }

    /** Writes all {@code len} bytes (len > 0, bounds checked). */
    protected abstract void writeAll(byte[] b, int off, int len) throws IOException;

    /** Does not close the connection: the server does. */
    @Override
    public final void close() {
    }
}
