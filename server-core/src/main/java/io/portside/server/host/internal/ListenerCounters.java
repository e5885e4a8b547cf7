package io.portside.server.host.internal;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import io.portside.server.metrics.internal.LatencyBuckets;
import io.portside.server.metrics.internal.Refusal;

/**
 * A listener's counters since it was bound, as the runtime view and the metrics show them. The stages count here and
 * nowhere else; the metrics read these (through {@link MetricsFeed}), so no stage knows about a metrics library.
 */
final class ListenerCounters {

    private final LongAdder accepted = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder drained = new LongAdder();
    private final LongAdder timedOut = new LongAdder();
    private final LongAdder overdue = new LongAdder();
    private final LongAdder tlsFailures = new LongAdder();
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();
    private final Map<Refusal, LongAdder> refusals = new EnumMap<>(Refusal.class);
    private final LongAdder handled = new LongAdder();
    private final LatencyBuckets durations = new LatencyBuckets();
    private final LongAdder swaps = new LongAdder();
    private final LongAdder drainedRevisions = new LongAdder();
    private final LongAdder gapWaits = new LongAdder();

    ListenerCounters() {
        for (Refusal r : Refusal.values()) {
            refusals.put(r, new LongAdder());
        }
    }

    void onAccepted() {
        accepted.increment();
    }

    /** Refused before its handler (a policy, a limit, a full model, a bad PROXY header): counted as rejected, by reason. */
    void onRefused(Refusal reason) {
        rejected.increment();
        refusals.get(reason).increment();
    }

    /** A handler ran to its end (or failed) after {@code nanos}. */
    void onHandled(long nanos) {
        handled.increment();
        durations.record(nanos);
    }

    /** A new revision became the active one. */
    void onSwap() {
        swaps.increment();
    }

    /** Replaced revisions that finished their requests on their own, before any deadline. */
    void onRevisionsDrained(int n) {
        drainedRevisions.add(n);
    }

    /** A connection found no active revision and waited in the gap. */
    void onGapWait() {
        gapWaits.increment();
    }

    /** A handler failed, or no handler came in time. */
    void onError() {
        errors.increment();
    }

    void onDrained(int closed) {
        drained.add(closed);
    }

    /** Closed at one of the listener's client time limits. */
    void onTimedOut() {
        timedOut.increment();
    }

    /** Closed by the watchdog at request.deadline. */
    void onOverdue() {
        overdue.increment();
    }

    /** A TLS handshake that failed: plaintext, an unknown CA, no common protocol, too slow. */
    void onTlsFailure() {
        tlsFailures.increment();
    }

    long tlsFailures() {
        return tlsFailures.sum();
    }

    /** Counts what an ended connection moved. */
    void onEnded(Connection c) {
        bytesIn.add(c.bytesIn());
        bytesOut.add(c.bytesOut());
    }

    long accepted() {
        return accepted.sum();
    }

    long rejected() {
        return rejected.sum();
    }

    long errors() {
        return errors.sum();
    }

    long drained() {
        return drained.sum();
    }

    long timedOut() {
        return timedOut.sum();
    }

    long overdue() {
        return overdue.sum();
    }

    long bytesIn() {
        return bytesIn.sum();
    }

    long bytesOut() {
        return bytesOut.sum();
    }

    Map<Refusal, Long> refusals() {
        Map<Refusal, Long> now = new EnumMap<>(Refusal.class);
        refusals.forEach((r, n) -> now.put(r, n.sum()));
        return now;
    }

    /** Bad PROXY headers (missing, malformed, late): a part of {@link #rejected()}. */
    long proxyHeaderFailures() {
        return refusals.get(Refusal.PROXY_HEADER).sum();
    }

    long handled() {
        return handled.sum();
    }

    LatencyBuckets.Snapshot durations() {
        return durations.snapshot();
    }

    long swaps() {
        return swaps.sum();
    }

    long drainedRevisions() {
        return drainedRevisions.sum();
    }

    long gapWaits() {
        return gapWaits.sum();
    }
}
