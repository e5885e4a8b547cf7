package io.portside.server.internal;

import java.lang.System.Logger.Level;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The process's one timing mechanism for connections: a single platform daemon thread that, every {@link #TICK_NANOS},
 * asks each watched object whether a deadline of its own has passed (a periodic sweep, as Netty's idle-state handlers
 * share one event loop's scheduler). A timed connection therefore costs no selector, no timer thread and no descriptor:
 * only a registration here while it runs. Deadlines are checked to within one tick.
 *
 * <p>The thread is a platform thread on purpose: handlers that spin on every carrier of the virtual-thread scheduler
 * must not stop the clock that times them out. It ends after ten seconds with nothing to watch, and the next watch starts
 * it again.
 */
public final class HostClock {

    /** What the clock asks, each tick: {@code now} is {@link System#nanoTime()}; return false to be dropped. */
    @FunctionalInterface
    public interface Watched {
        boolean tick(long now);
    }

    static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** Ten seconds of ticks with nothing to watch before the clock's thread ends (the next watch starts another). */
    private static final int IDLE_AFTER_TICKS = 100;
    private static final System.Logger LOG = System.getLogger(HostClock.class.getName());
    private static final HostClock SHARED = new HostClock();

    private final Set<Watched> watched = ConcurrentHashMap.newKeySet();
    private volatile Thread thread; // written under this; null while none runs
    /** The clock is about to end for want of anything to watch; only then (or with no thread) does {@link #watch} act. */
    private volatile boolean idle;

    public static HostClock shared() {
        return SHARED;
    }

    public void watch(Watched w) {
        watched.add(w);
        if (idle || thread == null) { // waking it on every watch would cost a futex call per accepted connection
            wake();
        }
    }

    public void unwatch(Watched w) {
        watched.remove(w);
    }

    /** How many objects are watched now (for tests and the runtime view). */
    public int size() {
        return watched.size();
    }

    /** Starts the clock's thread if it has none (it ends after a while with nothing to watch), or unparks it. */
    private synchronized void wake() {
        if (thread == null) {
            idle = false;
            thread = Thread.ofPlatform().daemon().name("portside-clock").unstarted(this::run);
            thread.start();
        } else {
            LockSupport.unpark(thread);
        }
    }

    private void run() {
        int emptyTicks = 0;
        while (true) {
            // Idle only after a while with nothing to watch: a host between connections would otherwise fall asleep and be
            // woken (a futex call on the accepting thread) once per connection.
            emptyTicks = watched.isEmpty() ? emptyTicks + 1 : 0;
            if (emptyTicks > IDLE_AFTER_TICKS) {
                // Ends rather than sleeps, so no thread of the server bundle outlives its last connection (an update of the
                // bundle would otherwise leave it, and the old classes with it). A watch() that comes while it ends sees
                // idle, then waits for the lock, and starts a new thread once this one has let go of it.
                idle = true;
                synchronized (this) {
                    if (watched.isEmpty()) {
                        thread = null;
                        return;
                    }
                }
                idle = false;
                emptyTicks = 0;
            }
            LockSupport.parkNanos(this, TICK_NANOS);
            long now = System.nanoTime();
            for (Watched w : watched) {
                try {
                    if (!w.tick(now)) {
                        watched.remove(w);
                    }
                } catch (Throwable t) { // one broken check must not stop the clock for every connection
                    watched.remove(w);
                    LOG.log(Level.WARNING, "A timed check failed and was dropped: " + t, t);
                }
            }
        }
    }
}
