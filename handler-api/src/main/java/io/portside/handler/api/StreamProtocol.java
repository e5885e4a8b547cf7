package io.portside.handler.api;

import java.nio.ByteBuffer;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * An event-driven stream handler, modelled on Python's {@code asyncio.Protocol}: instead of a thread that blocks in
 * {@code rfile} for the whole connection, the server calls these methods as things happen, on its readiness loop. An
 * idle connection then holds no thread and no stack, only this object and its socket (docs/protocols.md).
 *
 * <p>Blocking handlers ({@link StreamRequestHandler}) stay the default and the simpler choice. Write a protocol when a
 * listener holds very many connections that are mostly idle, or when every microsecond per request counts.
 *
 * <p>Rules, as asyncio's: every method runs on the connection's loop, one at a time, and must return quickly; a method
 * that blocks (I/O, locks, sleeps) stalls every connection of its loop, which only this server's connections share.
 * Whatever a method throws ends its own connection only ({@link #connectionLost} with the exception).
 */
@ConsumerType
public interface StreamProtocol {

    /** The connection is open; keep {@code transport} to write and close. Called once, first. */
    default void connectionMade(ProtocolTransport transport) {
    }

    /**
     * Bytes arrived. {@code data} is a read-only view of the loop's buffer, valid only during this call: copy what must
     * outlive it.
     */
    void dataReceived(ByteBuffer data);

    /**
     * The client will send nothing more (it half-closed). Return {@code false} (the default) to close the connection
     * once what was written has been sent, {@code true} to keep it open for writing and close it later yourself.
     */
    default boolean eofReceived() {
        return false;
    }

    /**
     * The connection has ended, {@code cause} is {@code null} after a clean close (by either side) and the reason
     * otherwise. Called once, last; the transport does nothing after it.
     */
    default void connectionLost(Exception cause) {
    }

    /** More than the transport's high-water mark waits to be sent: stop producing until {@link #resumeWriting}. */
    default void pauseWriting() {
    }

    /** The bytes waiting to be sent fell to the low-water mark after {@link #pauseWriting}. */
    default void resumeWriting() {
    }
}
