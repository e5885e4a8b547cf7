package io.portside.server;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.function.BooleanSupplier;

/**
 * What the serve loop does when taking a request fails (CPython swallows the error silently and, with
 * descriptors exhausted, spins): log the first failure of a run, then wait 10 ms, doubling up to 1 s, before
 * trying again. The wait ends early when the server is stopping.
 */
final class AcceptBackoff {

    private static final System.Logger LOG = System.getLogger(AcceptBackoff.class.getName());
    private static final long FIRST_PAUSE_MILLIS = 10;
    private static final long MAX_PAUSE_MILLIS = 1000;
    private static final long SLICE_MILLIS = 10;

    private long pauseMillis;
    private long failures;

    void failed(IOException error, BooleanSupplier stopping) {
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

    void succeeded() {
        if (failures > 1) {
            LOG.log(Level.INFO, "Taking requests works again after {0} failures", failures);
        }
        failures = 0;
        pauseMillis = 0;
    }
}
