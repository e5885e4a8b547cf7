package io.portside.launcher;

import java.io.IOException;
import java.nio.channels.Channel;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes a channel when its time is up. Unix socket channels ignore {@code SO_TIMEOUT}, so a blocking read or write on
 * the control socket is bounded by closing the channel under it; the blocked call then fails with an
 * {@link java.nio.channels.AsynchronousCloseException}.
 */
final class ChannelDeadline implements AutoCloseable {

    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "portside-control-deadline");
        t.setDaemon(true);
        return t;
    });

    private final ScheduledFuture<?> closing;

    ChannelDeadline(Channel channel, Duration timeout) {
        closing = TIMER.schedule(() -> {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing is all we wanted
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** True once the deadline has closed the channel. */
    boolean expired() {
        return closing.isDone() && !closing.isCancelled();
    }

    /** Lifts the deadline (the channel stays open). */
    @Override
    public void close() {
        closing.cancel(false);
    }
}
