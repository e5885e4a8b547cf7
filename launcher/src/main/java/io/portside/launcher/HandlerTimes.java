package io.portside.launcher;

import java.util.ArrayList;
import java.util.List;

/**
 * A listener's request durations as the runtime view counts them ({@code ListenerView.handlerTimes()}): counts per
 * bucket of {@code bounds} (seconds), the last count above every bound. A quantile is read as the upper bound of the
 * bucket that holds it, as Prometheus' {@code histogram_quantile} would bound it.
 *
 * @param bounds upper bounds in seconds
 * @param counts one count per bound, and one more for those above the last
 */
record HandlerTimes(List<Double> bounds, List<Long> counts) {

    HandlerTimes {
        bounds = List.copyOf(bounds);
        counts = List.copyOf(counts);
        if (counts.size() != bounds.size() + 1) {
            throw new IllegalArgumentException("expected " + (bounds.size() + 1) + " counts, got " + counts.size());
        }
    }

    /** The requests since {@code earlier} (same bounds); this one as it is when there is nothing to compare with. */
    HandlerTimes since(HandlerTimes earlier) {
        if (earlier == null || !earlier.bounds.equals(bounds)) {
            return this;
        }
        List<Long> delta = new ArrayList<>(counts.size());
        for (int i = 0; i < counts.size(); i++) {
            delta.add(Math.max(0, counts.get(i) - earlier.counts.get(i))); // a rebound listener starts again from 0
        }
        return new HandlerTimes(bounds, delta);
    }

    /**
     * The 99th percentile in milliseconds, as the upper bound of its bucket; null without requests, and the last bound
     * when it lies above every bound.
     */
    Double p99Millis() {
        long total = counts.stream().mapToLong(Long::longValue).sum();
        if (total == 0) {
            return null;
        }
        long rank = (long) Math.ceil(total * 0.99);
        long seen = 0;
        for (int i = 0; i < counts.size(); i++) {
            seen += counts.get(i);
            if (seen >= rank) {
                return bounds.get(Math.min(i, bounds.size() - 1)) * 1000;
            }
        }
        return bounds.getLast() * 1000;
    }
}
