package io.portside.server.host.internal;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Back-off for endpoints whose bind failed for a reason that may pass (a port another process holds): 1 s, then
 * doubling up to 30 s. Used on the whiteboard's thread only. The first failure and the bind that finally works are
 * logged by the whiteboard; the retries in between are not.
 */
final class BindRetries {

    static final Duration FIRST = Duration.ofSeconds(1);
    static final Duration MAX = Duration.ofSeconds(30);

    private record State(int attempts, long firstFailureNanos, boolean retryPending) {
    }

    private final Map<String, State> failing = new HashMap<>();

    /**
     * Records a failed bind of {@code endpoint}; returns the delay before the next attempt, or null when one is already
     * scheduled (a pass for another reason tried early), so that retries never pile up.
     */
    Duration failed(String endpoint, long nowNanos) {
        State s = failing.get(endpoint);
        if (s != null && s.retryPending()) {
            return null;
        }
        int attempts = s == null ? 1 : s.attempts() + 1;
        long delay = Math.min(MAX.toNanos(), FIRST.toNanos() << Math.min(attempts - 1, 20));
        failing.put(endpoint, new State(attempts, s == null ? nowNanos : s.firstFailureNanos(), true));
        return Duration.ofNanos(delay);
    }

    /** The scheduled retry of {@code endpoint} is running now. */
    void due(String endpoint) {
        failing.computeIfPresent(endpoint, (k, s) -> new State(s.attempts(), s.firstFailureNanos(), false));
    }

    /**
     * The endpoint bound (or is no longer wanted): forgets it. Returns how long it had been failing, or null if it
     * had not failed.
     */
    Duration succeeded(String endpoint, long nowNanos) {
        State s = failing.remove(endpoint);
        return s == null ? null : Duration.ofNanos(nowNanos - s.firstFailureNanos());
    }

    void forget(String endpoint) {
        failing.remove(endpoint);
    }
}
