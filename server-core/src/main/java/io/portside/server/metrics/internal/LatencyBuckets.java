package io.portside.server.metrics.internal;

import io.portside.server.runtime.ListenerView;

import java.util.concurrent.atomic.LongAdder;

/**
 * A request-duration histogram with fixed buckets, cheap to record into from any thread (one adder per bucket), so the
 * pipeline counts without knowing about any metrics library; the collector reads a {@link Snapshot} at scrape time.
 */
public final class LatencyBuckets {

    /** Upper bounds in seconds, from half a millisecond (an echo) to a minute (a file transfer); +Inf is implied. */
    static final double[] BOUNDS = ListenerView.HANDLER_TIME_BOUNDS.stream().mapToDouble(Double::doubleValue).toArray();

    private final LongAdder[] counts = new LongAdder[BOUNDS.length + 1];
    private final LongAdder sumNanos = new LongAdder();

    public LatencyBuckets() {
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    /** Records one request that took {@code nanos}. */
    public void record(long nanos) {
        long n = Math.max(0, nanos);
        double seconds = n / 1e9;
        int i = 0;
        while (i < BOUNDS.length && seconds > BOUNDS[i]) {
            i++;
        }
        counts[i].increment();
        sumNanos.add(n);
    }

    public Snapshot snapshot() {
        long[] c = new long[counts.length];
        for (int i = 0; i < c.length; i++) {
            c[i] = counts[i].sum();
        }
        return new Snapshot(c, sumNanos.sum() / 1e9);
    }

    /**
     * Counts per bucket (not cumulative), the last one above every bound, and the sum of all durations in seconds.
     * Read without a lock, so a scrape during traffic may see a count and a sum one request apart; Prometheus
     * tolerates that, as it does for client_java's own histograms.
     */
    public record Snapshot(long[] counts, double sumSeconds) {

        public static final Snapshot EMPTY = new Snapshot(new long[BOUNDS.length + 1], 0);

        public long count() {
            long n = 0;
            for (long c : counts) {
                n += c;
            }
            return n;
        }

        /** The counts as a list, for the runtime view ({@code ListenerView.handlerTimes()}). */
        public java.util.List<Long> countList() {
            return java.util.Arrays.stream(counts).boxed().toList();
        }

        /** The duration below which {@code quantile} of the requests fell, as a bucket's upper bound; NaN when none. */
        public double quantileBound(double quantile) {
            long total = count();
            if (total == 0) {
                return Double.NaN;
            }
            long seen = 0;
            for (int i = 0; i < BOUNDS.length; i++) {
                seen += counts[i];
                if (seen >= quantile * total) {
                    return BOUNDS[i];
                }
            }
            return Double.POSITIVE_INFINITY;
        }
    }
}
