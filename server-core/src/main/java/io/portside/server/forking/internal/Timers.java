package io.portside.server.forking.internal;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** The timer of queued jobs' deadlines and start back-offs: one daemon thread, made on first use. */
final class Timers {

    private ScheduledExecutorService executor; // guarded by this

    /** Runs {@code task} on the timer thread after {@code delayNanos}. */
    synchronized ScheduledFuture<?> schedule(Runnable task, long delayNanos) {
        if (executor == null) {
            ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "portside-forking-timer");
                t.setDaemon(true);
                return t;
            });
            timers.setRemoveOnCancelPolicy(true);
            executor = timers;
        }
        return executor.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
    }

    /** Drops every pending task and ends the thread; a later {@link #schedule} makes a new one. */
    void shutdown() {
        ScheduledExecutorService stopping;
        synchronized (this) {
            stopping = executor;
            executor = null;
        }
        if (stopping != null) {
            stopping.shutdownNow();
        }
    }
}
