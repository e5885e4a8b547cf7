package io.portside.server.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * A connection's {@code rfile} as every stream request shapes it: a single byte is a one-byte read, an empty read
 * costs nothing, and closing the stream leaves the connection to the server. Subclasses say how bytes are read.
 */
public abstract class ConnectionInput extends InputStream {

    @Override
    public final int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n <= 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public final int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        return len == 0 ? 0 : readSome(b, off, len);
    }

    /** Reads at least one byte into {@code b} (len > 0, bounds checked), or returns -1 at the end. */
    protected abstract int readSome(byte[] b, int off, int len) throws IOException;

    /** Does not close the connection: the server does. */
    @Override
    public final void close() {
    }
}
