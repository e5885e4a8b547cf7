package io.portside.launcher;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.ErrorManager;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

/**
 * The root logger's one handler: every record passes the {@link LogRateLimiter} before it reaches the real handlers
 * (the console), so no client can fill the log with one kind of line, whether the host or a handler bundle logs it.
 * The listener a handler's line concerns is read from the logging thread's name ({@link ListenerThreads}) at publish
 * time, on that thread. A daemon timer logs the summaries of windows that ended in silence.
 */
final class RateLimitingHandler extends Handler {

    static final String TIMER_THREAD = "portside-log-summaries";

    private final LogRateLimiter limiter;
    private final List<Handler> targets;
    private final ScheduledExecutorService timer;

    RateLimitingHandler(LogRateLimiter limiter, List<Handler> targets, Duration window) {
        this.limiter = limiter;
        this.targets = List.copyOf(targets);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, TIMER_THREAD);
            t.setDaemon(true);
            return t;
        });
        long tick = tickMillis(window);
        timer.scheduleWithFixedDelay(this::publishEndedWindows, tick, tick, TimeUnit.MILLISECONDS);
    }

    /** A summary is late by at most a tenth of the window, and the timer wakes at most 20 times a second. */
    static long tickMillis(Duration window) {
        return Math.max(50, Math.min(1000, window.toMillis() / 10));
    }

    @Override
    public void publish(LogRecord record) {
        if (!isLoggable(record)) {
            return;
        }
        LogRateLimiter.Verdict verdict = limiter.offer(LogKind.of(record, Thread.currentThread().getName()));
        if (verdict.dueFirst() != null) {
            publishToTargets(verdict.dueFirst().toRecord());
        }
        if (verdict.print()) {
            publishToTargets(record);
        }
    }

    private void publishEndedWindows() {
        try {
            for (LogSummary s : limiter.expire()) {
                publishToTargets(s.toRecord());
            }
        } catch (RuntimeException e) {
            reportError("cannot log a summary", e, ErrorManager.GENERIC_FAILURE); // and keep the timer running
        }
    }

    private void publishToTargets(LogRecord record) {
        for (Handler h : targets) {
            h.publish(record);
        }
    }

    @Override
    public void flush() {
        for (Handler h : targets) {
            h.flush();
        }
    }

    /** Logs what is still held back (the JVM is stopping), then closes the real handlers. */
    @Override
    public void close() {
        timer.shutdownNow();
        for (LogSummary s : limiter.expireAll()) {
            publishToTargets(s.toRecord());
        }
        for (Handler h : targets) {
            h.close();
        }
    }
}
