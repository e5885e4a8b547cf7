package io.portside.handler.api;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Python's {@code StreamRequestHandler}: a handler for one connection with a buffered {@link #rfile}
 * and, by default, an unbuffered {@link #wfile}.
 *
 * <p>The knobs are protected fields, as Python's class attributes are; set them in the subclass's
 * constructor or initializer:
 * <pre>{@code
 * public final class EchoHandler extends StreamRequestHandler {
 *     { timeout = Duration.ofMinutes(5); }
 *     protected void handle() throws IOException {
 *         for (byte[] line; (line = rfile.readLine(65536)).length > 0; ) wfile.write(line);
 *     }
 * }
 * }</pre>
 */
@ConsumerType
public abstract class StreamRequestHandler extends BaseRequestHandler<StreamRequest> {

    /** Default buffer size, Python's {@code io.DEFAULT_BUFFER_SIZE}. */
    public static final int DEFAULT_BUFFER_SIZE = 8192;

    /** Read buffer size: -1 for the default (8192), 0 for unbuffered, N for N bytes. */
    protected int rbufsize = -1;
    /** Write buffer size: 0 (default) for unbuffered, -1 for the default (8192), N for N bytes. */
    protected int wbufsize = 0;
    /** Read timeout applied to the connection in {@link #setup()}; {@code null} for none. */
    protected Duration timeout;
    /** Sets TCP_NODELAY in {@link #setup()}; ignored on Unix sockets (where Python fails instead). */
    protected boolean disableNagleAlgorithm;

    /** The connection, the same object as {@link #request}. */
    protected StreamRequest connection;
    /** Buffered input with {@code readLine}. */
    protected LineInputStream rfile;
    /** Output: unbuffered ({@link SocketWriter}) unless {@link #wbufsize} is not 0. */
    protected OutputStream wfile;

    @Override
    protected void setup() throws Exception {
        connection = request;
        if (timeout != null) {
            connection.setTimeout(timeout);
        }
        if (disableNagleAlgorithm) {
            connection.setNoDelay(true);
        }
        rfile = new LineInputStream(connection, rbufsize < 0 ? DEFAULT_BUFFER_SIZE : rbufsize);
        wfile = wbufsize == 0
                ? new SocketWriter(connection.outputStream())
                : new BufferedOutputStream(connection.outputStream(), wbufsize < 0 ? DEFAULT_BUFFER_SIZE : wbufsize);
    }

    /**
     * Flushes {@link #wfile} (a flush failure, such as a peer that went away, is ignored as Python does),
     * then closes both streams, each in its own step so a failing {@code wfile.close()} still closes
     * {@code rfile}. Neither closes the connection.
     */
    @Override
    protected void finish() throws Exception {
        try {
            try {
                wfile.flush();
            } catch (IOException peerGone) {
                // Python ignores socket errors on this flush (Issue #14574).
            }
            wfile.close();
        } finally {
            rfile.close();
        }
    }
}
