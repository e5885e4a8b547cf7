package io.portside.server.host.internal;

import java.util.concurrent.atomic.LongAdder;

/** A listener's counters since it was bound, as the runtime view shows them. */
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

    void onAccepted() {
        accepted.increment();
    }

    /** Refused by a policy or a full model. */
    void onRejected() {
        rejected.increment();
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
}
