package io.portside.server;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.SelectableChannel;
import java.nio.channels.ServerSocketChannel;
import java.util.function.BooleanSupplier;

/**
 * What the serve loop does when taking a request fails (CPython swallows the error silently and, with
 * descriptors exhausted, spins): log the first failure of a run, then wait 10 ms, doubling up to 1 s, before
 * trying again. The wait ends early when the server is stopping.
 *
 * <p>Out of descriptors (EMFILE, ENFILE) a stream server first sheds its backlog with the process's
 * {@link SpareDescriptor}: the pending clients read EOF at once instead of waiting in a backlog that, once full,
 * makes the kernel drop new handshakes. That is logged at most once per {@value #SHED_LOG_MILLIS} ms, with a count.
 */
final class AcceptBackoff {

    private static final System.Logger LOG = System.getLogger(AcceptBackoff.class.getName());
    private static final long FIRST_PAUSE_MILLIS = 10;
    private static final long MAX_PAUSE_MILLIS = 1000;
    private static final long SLICE_MILLIS = 10;
    private static final long SHED_LOG_MILLIS = 10_000;

    /** Taken now, not at the first EMFILE: initializing it then would need the descriptor that is missing. */
    private final SpareDescriptor spare = SpareDescriptor.PROCESS;
    private long pauseMillis;
    private long failures;
    private long shedSinceLog;
    private long shedLoggedNanos;
    private boolean shedLogged;

    /**
     * @param channel the server's channel: a listening stream socket sheds its backlog when out of descriptors
     */
    void failed(IOException error, SelectableChannel channel, BooleanSupplier stopping) {
        if (channel instanceof ServerSocketChannel listening && SpareDescriptor.isExhaustion(error) && shed(listening, error)) {
            return; // the pending clients were told; the next accept may succeed already
        }
        failures++;
        if (failures == 1) {
            LOG.log(Level.WARNING, "Taking a request failed ({0}); backing off and retrying", String.valueOf(error));
        }
        pauseMillis = pauseMillis == 0 ? FIRST_PAUSE_MILLIS : Math.min(MAX_PAUSE_MILLIS, pauseMillis * 2);
        long end = System.nanoTime() + pauseMillis * 1_000_000;
        try {
            while (!stopping.getAsBoolean() && System.nanoTime() - end < 0) {
                Thread.sleep(SLICE_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean shed(ServerSocketChannel listening, IOException error) {
        int closed = spare.shed(listening);
        if (closed == 0) {
            return false;
        }
        shedSinceLog += closed;
        long now = System.nanoTime();
        if (!shedLogged || now - shedLoggedNanos >= SHED_LOG_MILLIS * 1_000_000) {
            LOG.log(Level.WARNING, "Taking a request failed ({0}): closed {1} pending connection(s) at once with the spare descriptor",
                    String.valueOf(error), String.valueOf(shedSinceLog));
            shedLogged = true;
            shedLoggedNanos = now;
            shedSinceLog = 0;
        }
        return true;
    }

    void succeeded() {
        if (failures > 1) {
            LOG.log(Level.INFO, "Taking requests works again after {0} failures", failures);
        }
        failures = 0;
        pauseMillis = 0;
    }
}
