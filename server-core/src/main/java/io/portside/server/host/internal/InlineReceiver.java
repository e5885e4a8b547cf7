package io.portside.server.host.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

import io.portside.server.BaseServer;

/**
 * One datagram socket's receiving thread, when it runs requests itself ({@link InlineDatagrams}): no hand-off to another
 * thread per datagram, which is what a datagram cost on the virtual-thread model (a wake-up and a context switch each;
 * docs/performance.md, "SO_REUSEPORT and UDP").
 *
 * <p>Containment: a request that runs longer than {@link #TAKEOVER} must not leave the socket unattended, so a relay
 * thread watches the receiving thread and, while it is held by such a request, takes datagrams from the same socket
 * itself and hands each to a virtual thread of its own, as the model always did. The relay ticks every
 * {@link #TICK} while datagrams come, and sleeps (woken by the next datagram) once they have stopped for
 * {@link #IDLE}: an idle listener costs no wake-ups.
 */
final class InlineReceiver {

    /** How long a request may hold the receiving thread before the relay receives instead. */
    static final Duration TAKEOVER = Duration.ofMillis(2);
    /** How often the relay looks at the receiving thread while datagrams come. */
    static final Duration TICK = Duration.ofMillis(1);
    /** How long without a datagram before the relay sleeps until the next one. */
    static final Duration IDLE = Duration.ofMillis(100);
    /** How often a relaying thread checks whether the receiving thread is back. */
    private static final Duration RELAY_POLL = Duration.ofMillis(10);
    private static final long TICK_NANOS = TICK.toNanos();
    private static final long IDLE_NANOS = IDLE.toNanos();
    private static final long TAKEOVER_NANOS = TAKEOVER.toNanos();
    private static final System.Logger LOG = System.getLogger("io.portside.host");
    private static final ThreadLocal<InlineReceiver> CURRENT = new ThreadLocal<>();

    private final BaseServer<?> server;
    private final String threadName;
    /** When the running request began; 0 while none runs. Written by the receiving thread only. */
    private volatile long runningSince;
    /** When the last request began. Written by the receiving thread only. */
    private volatile long lastBegan;
    /** True while the relay sleeps until the next request begins. */
    private volatile boolean asleep;
    private volatile Thread relay; // started by the receiving thread at its first request

    InlineReceiver(BaseServer<?> server, String threadName) {
        this.server = server;
        this.threadName = threadName;
        server.setTimeout(RELAY_POLL); // bounds each handleRequest of the relay; nothing else of a hosted server reads it
    }

    /** The receiver whose receiving thread is the calling one; null on any other thread (a relay, a request thread). */
    static InlineReceiver current() {
        return CURRENT.get();
    }

    /** Makes the calling thread this socket's receiving thread. */
    void attachToCurrentThread() {
        CURRENT.set(this);
    }

    /** Runs {@code request} here, on the receiving thread, watched by the relay. */
    void run(Runnable request) {
        if (relay == null) {
            relay = Thread.ofPlatform().daemon().name(threadName).start(this::watch);
        }
        long now = System.nanoTime();
        runningSince = now == 0 ? 1 : now;
        lastBegan = now;
        if (asleep) {
            LockSupport.unpark(relay);
        }
        try {
            request.run();
        } finally {
            runningSince = 0;
        }
    }

    /** Wakes a sleeping relay so that it sees the socket closed and ends. */
    void close() {
        Thread r = relay;
        if (r != null) {
            LockSupport.unpark(r);
        }
    }

    private void watch() {
        while (!server.isClosed()) {
            if (held()) {
                relay();
            } else if (runningSince == 0 && System.nanoTime() - lastBegan > IDLE_NANOS) {
                asleep = true;
                if (runningSince == 0 && !server.isClosed()) { // re-read after publishing asleep: run() reads it after writing
                    LockSupport.park(this);
                }
                asleep = false;
            } else {
                LockSupport.parkNanos(this, TICK_NANOS);
            }
        }
    }

    /** True while a request has held the receiving thread for longer than {@link #TAKEOVER}. */
    private boolean held() {
        long since = runningSince;
        return since != 0 && System.nanoTime() - since >= TAKEOVER_NANOS;
    }

    private void relay() {
        try {
            // one request per call, each with a selector of its own: dearer than the serve loop, but only while a long
            // request holds the receiving thread, and no server API beyond Python's handle_request
            while (held() && !server.isClosed()) {
                server.handleRequest();
            }
        } catch (IOException | RuntimeException e) {
            if (!server.isClosed()) {
                LOG.log(Level.WARNING, "{0}: relay receiving for a busy receiving thread failed: {1}", threadName, String.valueOf(e));
                LockSupport.parkNanos(this, RELAY_POLL.toNanos()); // no busy loop on a persistent failure
            }
        }
    }

    @Override
    public String toString() {
        return "receiver of " + server.serverAddress() + " (takeover after " + TAKEOVER.toMillis() + " ms, tick " + TICK.toMillis()
                + " ms, sleeps after " + IDLE.toMillis() + " ms idle)";
    }
}
