package io.portside.handler.api;

import java.net.SocketAddress;
import java.nio.ByteBuffer;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A connection as a {@link StreamProtocol} sees it, modelled on Python's {@code asyncio.Transport}. Writes never block:
 * what the socket does not take at once waits in the transport and goes out as the client reads. Flow control is the
 * protocol's part, as in asyncio: above {@link #HIGH_WATER} bytes waiting the transport calls
 * {@link StreamProtocol#pauseWriting()}, and a protocol that, once asked to pause, keeps writing past
 * {@link #WRITE_LIMIT} has its connection aborted (the server never holds unbounded memory for a client that does not
 * read).
 *
 * <p>Called from the protocol's own methods, a method acts at once. Called from any other thread (a worker of the
 * protocol's, or another connection's loop), it is queued to the connection's loop and acts there, in order, as
 * asyncio's {@code call_soon_threadsafe} would: it never waits, so protocols that write to each other cannot deadlock.
 */
@ProviderType
public interface ProtocolTransport {

    /** Waiting bytes above which the protocol is asked to pause writing. */
    int HIGH_WATER = 64 * 1024;
    /** Waiting bytes at or below which a paused protocol is asked to resume. */
    int LOW_WATER = 16 * 1024;
    /** Waiting bytes past which a protocol that was asked to pause and kept writing has its connection aborted. */
    int WRITE_LIMIT = 1024 * 1024;

    /** Sends {@code data} (its remaining bytes), now or as the client reads; ignored once the transport is closing. */
    void write(ByteBuffer data);

    /** Sends {@code data}, as {@link #write(ByteBuffer)}. */
    default void write(byte[] data) {
        write(ByteBuffer.wrap(data));
    }

    /** Half-closes once what was written has been sent: the client reads EOF and can still send. */
    void writeEof();

    /** Closes once what was written has been sent; nothing more is read. {@code connectionLost(null)} follows. */
    void close();

    /** Closes now, dropping what waits to be sent; {@code connectionLost(null)} follows. */
    void abort();

    /** True once {@link #close()} or {@link #abort()} was called or the connection ended. */
    boolean isClosing();

    /** Stops reading: no {@code dataReceived} until {@link #resumeReading()}; TCP then holds the client back. */
    void pauseReading();

    /** Reads again after {@link #pauseReading()}. */
    void resumeReading();

    /** False while reading is paused. */
    boolean isReading();

    /** Bytes written but not yet taken by the socket. */
    int writeBufferSize();

    /** The client's address (Python's {@code get_extra_info('peername')}). */
    SocketAddress clientAddress();

    /** The address the client connected to ({@code get_extra_info('sockname')}). */
    SocketAddress serverAddress();
}
