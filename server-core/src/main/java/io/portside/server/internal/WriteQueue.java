package io.portside.server.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;

/**
 * What a protocol's connection has written and its socket has not taken yet: copies, sent in order, many at a time in
 * one gathering write (as asyncio's transport gathers its buffer into one {@code sendmsg}). Used on the connection's
 * loop only; {@link #bytes()} may be read from anywhere.
 */
final class WriteQueue {

    /** Buffers handed to one gathering write: as the kernel takes at most IOV_MAX (1024), and usually far fewer. */
    private static final int GATHER = 64;

    private ArrayDeque<ByteBuffer> buffers; // null until the first write that waits: an idle connection holds none
    private volatile int bytes;

    boolean isEmpty() {
        return buffers == null || buffers.isEmpty();
    }

    int bytes() {
        return bytes;
    }

    /** Keeps a copy of what remains of {@code data} (which its owner may reuse once the write returns). */
    void add(ByteBuffer data) {
        ByteBuffer copy = ByteBuffer.allocate(data.remaining()).put(data).flip();
        if (buffers == null) {
            buffers = new ArrayDeque<>(4);
        }
        buffers.add(copy);
        bytes += copy.remaining();
    }

    /** Sends what the socket takes now; returns how many bytes that was. */
    long flushTo(SocketChannel channel) throws IOException {
        if (isEmpty()) {
            return 0;
        }
        ByteBuffer[] batch = buffers.stream().limit(GATHER).toArray(ByteBuffer[]::new);
        long wrote = channel.write(batch);
        while (!buffers.isEmpty() && !buffers.peek().hasRemaining()) {
            buffers.poll();
        }
        if (buffers.isEmpty()) {
            buffers = null; // drained: back to holding nothing
        }
        bytes -= (int) wrote;
        return wrote;
    }

    /** Drops what waits (an abort). */
    void clear() {
        buffers = null;
        bytes = 0;
    }
}
