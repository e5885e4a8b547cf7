package io.portside.server.internal;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The process's readiness loops, which connections served on virtual threads wait on (see {@link LoopedChannel}). A
 * connection is given to one loop for its whole life, in turn.
 *
 * <p>How many: the system property {@value #LOOPS_PROPERTY}; by default one per processor (at most 32), as the JDK has
 * one sub-poller per processor: each loop is a virtual thread, so a loop per carrier lets every carrier poll and run
 * the handlers it woke without waking another (measured: rr50 0.06 futex calls per request with two loops on two
 * processors, 0.27 with one). {@code 0} turns the loops off: every connection then waits in the JDK's own poller.
 */
final class ReadinessLoops {

    static final String LOOPS_PROPERTY = "portside.io.loops";
    private static final ReadinessLoops SHARED = new ReadinessLoops(count());

    private final ReadinessLoop[] loops;
    private final AtomicInteger next = new AtomicInteger();

    private ReadinessLoops(int n) {
        this("portside-io-", n);
    }

    private ReadinessLoops(String prefix, int n) {
        this(prefix, n, ReadinessLoop.VIRTUAL_BY_DEFAULT, ReadinessLoop.READ_SIZE);
    }

    private ReadinessLoops(String prefix, int n, boolean virtual, int readSize) {
        loops = new ReadinessLoop[n];
        for (int i = 0; i < n; i++) {
            loops[i] = new ReadinessLoop(prefix + i, virtual, readSize);
        }
    }

    /**
     * Loops of their own, at least one, as many as the shared ones otherwise: a server's protocols run on them, so that
     * a protocol that blocks its loop stalls only its own server's connections. Platform threads: the protocols run
     * inline, so there is no handler to yield the carrier to, and a virtual loop that runs out of work pays the JDK's
     * poller to park (an {@code epoll_ctl}, a futex wake and a second {@code epoll_wait}: measured, connection churn
     * 29.0 system calls per connection on virtual loops against 17.5 on platform ones).
     */
    static ReadinessLoops own(String prefix) {
        return new ReadinessLoops(prefix, Math.max(1, count()), false, PROTOCOL_READ_SIZE);
    }

    /**
     * A protocol's read goes to the loop's buffer, never to a connection's, so a loop can afford a large one: a client
     * streaming then costs a read and (for an echo) a write per 256 KiB instead of per 64 KiB.
     */
    static final int PROTOCOL_READ_SIZE = 256 * 1024;

    /** The next loop, in turn. */
    ReadinessLoop next() {
        return loops[Math.floorMod(next.getAndIncrement(), loops.length)];
    }

    static ReadinessLoops shared() {
        return SHARED;
    }

    /** True when connections on virtual threads wait on the loops (not turned off). */
    boolean enabled() {
        return loops.length > 0;
    }

    /** How many loops there are (0: turned off). */
    int size() {
        return loops.length;
    }

    /** Registers a non-blocking socket with one of the loops, for good. */
    LoopedChannel register(SocketChannel channel) throws IOException {
        return next().register(channel);
    }

    private static int count() {
        String configured = System.getProperty(LOOPS_PROPERTY);
        if (configured != null) {
            try {
                return Math.max(0, Math.min(64, Integer.parseInt(configured.trim())));
            } catch (NumberFormatException e) {
                System.getLogger(ReadinessLoops.class.getName()).log(System.Logger.Level.WARNING,
                        "Ignored " + LOOPS_PROPERTY + "=" + configured + ": not a whole number; using the default");
            }
        }
        return Math.min(32, Runtime.getRuntime().availableProcessors());
    }
}
