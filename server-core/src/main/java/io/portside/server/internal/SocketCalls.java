package io.portside.server.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * How one connection's reads and writes reach its socket: the kernel's blocking calls (the JDK's poller on a virtual
 * thread), or, once a conversation on a virtual thread has to wait, a {@link ReadinessLoop} the socket is registered
 * with for good ({@link LoopedChannel}). Time limits stay with the caller ({@link StreamTimer}); this class only says
 * how a call waits.
 */
final class SocketCalls {

    private final SocketChannel channel;
    /** Registered with a readiness loop, for good; null until a call on a virtual thread first had to wait there. */
    private volatile LoopedChannel looped;
    /** The socket was made non-blocking for the loop (registered or not yet). */
    private volatile boolean forLoop;
    /** The handler's zero timeout (Python's {@code settimeout(0)}): a call that would wait fails at once. */
    private volatile boolean handlerNonBlocking;
    /**
     * Reads left before the connection may join a loop (handler thread only). A one-shot exchange (connect, request,
     * reply, close: two reads) never joins one, since registering and deregistering cost more than its one wait in the
     * JDK's poller; a conversation joins at its third read and then waits on the loop for the rest of its life.
     */
    private int readsBeforeLoop = 2;
    /** The descriptor may go to another process: never registered with a loop, whose reads would keep bytes here. */
    private volatile boolean staysBlocking;

    SocketCalls(SocketChannel channel) {
        this.channel = channel;
    }

    /** The handler's zero timeout on or off: calls that would wait fail at once (return 0 / false) while it is on. */
    void nonBlocking(boolean on) throws IOException {
        if (!forLoop) {
            channel.configureBlocking(!on);
        }
        handlerNonBlocking = on;
    }

    /** The descriptor will go to another process: never read ahead of the handler through a loop. */
    void staysBlocking() {
        staysBlocking = true;
    }

    /** Bytes a loop has read from the socket that the handler has not yet; 0 when no loop serves it. */
    int heldByLoop() {
        LoopedChannel l = looped;
        return l == null ? 0 : l.held();
    }

    /** The connection was closed: a thread parked on the loop is not woken by the close itself, as one in the kernel is. */
    void closed() {
        LoopedChannel l = looped;
        if (l != null) {
            l.closed();
        }
    }

    /** One read of the connection: at least one byte, 0 (non-blocking and nothing there), or -1 at the end. */
    int read(byte[] b, int off, int len) throws IOException {
        if (!viaLoop()) {
            if (readsBeforeLoop > 0) {
                readsBeforeLoop--;
            }
            return channel.read(ByteBuffer.wrap(b, off, len));
        }
        LoopedChannel l = looped;
        if (l == null) { // not registered yet: the socket may hold what is asked for, and then no loop is needed
            int n = channel.read(ByteBuffer.wrap(b, off, len));
            if (n != 0 || handlerNonBlocking) {
                return n;
            }
            l = loop();
        }
        return l.read(b, off, len, !handlerNonBlocking);
    }

    /** Writes all of {@code buffer}; false when a zero timeout met a socket that takes no more now. */
    boolean write(ByteBuffer buffer) throws IOException {
        if (!viaLoop()) {
            while (buffer.hasRemaining()) {
                if (channel.write(buffer) == 0 && !channel.isBlocking()) {
                    return false;
                }
            }
            return true;
        }
        LoopedChannel l = looped;
        if (l == null) {
            while (buffer.hasRemaining() && channel.write(buffer) > 0) {
                // the socket takes it: no loop needed yet
            }
            if (!buffer.hasRemaining() || handlerNonBlocking) {
                return !buffer.hasRemaining();
            }
            l = loop();
        }
        return l.write(buffer, !handlerNonBlocking);
    }

    /**
     * True when this call should go through a readiness loop: it already does, or it is a conversation's third read or
     * later on a virtual thread (then the socket turns non-blocking here, once; it is registered when a call first has
     * to wait).
     */
    private boolean viaLoop() throws IOException {
        if (forLoop) {
            return true;
        }
        if (readsBeforeLoop > 0 || handlerNonBlocking || staysBlocking || !Thread.currentThread().isVirtual()
                || !ReadinessLoops.shared().enabled()) {
            return false;
        }
        channel.configureBlocking(false);
        forLoop = true;
        return true;
    }

    /** The loop this connection waits on, registering it on first need. */
    private synchronized LoopedChannel loop() throws IOException { // a reader and a writer may need it at once
        LoopedChannel l = looped;
        if (l == null) {
            l = ReadinessLoops.shared().register(channel);
            looped = l;
            if (!channel.isOpen()) { // closed while it registered: the close saw no loop to wake
                l.closed();
            }
        }
        return l;
    }
}
