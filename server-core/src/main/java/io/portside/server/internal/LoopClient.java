package io.portside.server.internal;

import java.nio.ByteBuffer;

/** What a {@link ReadinessLoop} calls for a registered socket, on the loop's thread. */
interface LoopClient {

    /**
     * The socket has something to read (or EOF); {@code scratch} is the loop's buffer, free for this call, and
     * {@code view} a read-only view of it (position and limit free to set).
     */
    void readable(ByteBuffer scratch, ByteBuffer view);

    /** The socket takes writes again. */
    void writable();

    /** The loop let go of the socket (its key was cancelled, or the loop failed). */
    void closed();

    /** About every {@code ReadinessLoop.TICK_NANOS} while some client of the loop has time limits: check them. */
    default void tick(long now) {
    }
}
