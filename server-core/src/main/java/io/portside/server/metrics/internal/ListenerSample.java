package io.portside.server.metrics.internal;

import java.util.EnumMap;
import java.util.Map;

/**
 * One listener's counters and gauges at one moment, as the host hands them to the metrics: what the collector and the
 * MBeans read, so neither knows the host's internals.
 *
 * @param transport          the endpoint's scheme: {@code tcp}, {@code udp}, {@code unix}, {@code unixgram}
 * @param state              {@code BOUND}, {@code WAITING} or {@code FAILED} (the runtime view's state)
 * @param bundle             the active revision's bundle, or null when none serves
 * @param refusals           refusals by reason; absent reasons are zero
 * @param handled            requests whose handler ran to its end, failed or not
 * @param errors             the runtime view's errors: handler failures, failures before the handler, no handler in the gap
 * @param swaps              revisions activated on the listener (the first included)
 * @param drainedRevisions   replaced revisions that finished their requests before the drain deadline
 * @param drainCloses        connections of replaced revisions closed at the drain deadline (and at the listener's close)
 * @param gapWaits           connections that waited in a gap for a revision
 * @param certificateExpiry  the earliest notAfter of the served TLS certificates, in epoch seconds; 0 without TLS
 */
public record ListenerSample(String name, String endpoint, String transport, String concurrency, String state, String bundle,
        String version, long open, long accepted, Map<Refusal, Long> refusals, long handled, long errors, long timedOut,
        long overdue, long tlsFailures, long bytesIn, long bytesOut, LatencyBuckets.Snapshot durations, long swaps,
        long drainedRevisions, long drainCloses, long gapWaits, int busyWorkers, int idleWorkers, long certificateExpiry) {

    public ListenerSample {
        Map<Refusal, Long> all = new EnumMap<>(Refusal.class);
        for (Refusal r : Refusal.values()) {
            all.put(r, refusals.getOrDefault(r, 0L));
        }
        refusals = Map.copyOf(all);
    }

    /** A listener without a socket (failed, or waiting for a handler): its state and nothing counted. */
    public static ListenerSample unbound(String name, String endpoint, String transport, String concurrency, String state) {
        return new ListenerSample(name, endpoint, transport, concurrency, state, null, null, 0, 0, Map.of(), 0, 0, 0, 0, 0, 0, 0,
                LatencyBuckets.Snapshot.EMPTY, 0, 0, 0, 0, 0, 0, 0);
    }

    public long refused() {
        return refusals.values().stream().mapToLong(Long::longValue).sum();
    }
}
