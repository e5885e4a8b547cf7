package io.portside.server.proxy.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads one PROXY protocol header off the start of a connection, never a byte more: what follows stays in the stream
 * for the handler. Blocks as the stream does; the caller bounds the wait (the listener's {@code proxy.timeout} and
 * limits on the stream it passes).
 */
public final class ProxyHeaderReader {

    /** Enough for any version 1 line and a version 2 header without TLVs; a longer one grows the buffer. */
    private static final int INITIAL_BUFFER = 232;

    private ProxyHeaderReader() {
    }

    /**
     * Reads the header {@code mode} expects.
     *
     * @throws ProxyHeaderException the bytes are not an acceptable header, or the stream ended inside it
     * @throws IOException the stream failed (a read timeout included)
     */
    public static ProxyHeader read(InputStream in, ProxyMode mode) throws IOException {
        ProxyHeaderDecoder decoder = new ProxyHeaderDecoder(mode);
        byte[] buffer = new byte[INITIAL_BUFFER];
        int length = 0;
        while (true) {
            switch (decoder.decode(buffer, length)) {
                case ProxyHeaderDecoder.Done done -> {
                    return done.header();
                }
                case ProxyHeaderDecoder.Failed failed -> throw new ProxyHeaderException(failed.failure());
                case ProxyHeaderDecoder.Need need -> {
                    if (length + need.bytes() > buffer.length) {
                        buffer = Arrays.copyOf(buffer, length + need.bytes());
                    }
                    int read = in.read(buffer, length, need.bytes());
                    if (read < 0) {
                        throw new ProxyHeaderException(ProxyFailure.TRUNCATED);
                    }
                    length += read;
                }
            }
        }
    }
}
