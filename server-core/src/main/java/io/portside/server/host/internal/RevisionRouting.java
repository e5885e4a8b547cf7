package io.portside.server.host.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Which handler revision each connection runs on. New connections are pinned to the active revision at accept; a
 * swap makes another one active while the replaced one drains; in the gap (no handler) connections wait for the next
 * revision up to a deadline instead of being refused. Changes come from the whiteboard's thread only.
 */
final class RevisionRouting {

    private final RevisionSlot slot = new RevisionSlot();
    private final List<HandlerRevision> draining = new CopyOnWriteArrayList<>();
    private final StateHandOver handOver;
    private long gapStartedNanos; // 0 while a revision is active; whiteboard thread only
    // The revision that left for the gap: its successor takes over its state. Whiteboard thread only; forgotten at the
    // next activation, so that it keeps no class loader alive beyond the gap.
    private HandlerRevision leftForGap;
    private StateHandOver.Outcome lastHandOver = StateHandOver.Outcome.NOT_APPLICABLE; // whiteboard thread only

    RevisionRouting() {
        this(new StateHandOver(() -> "?"));
    }

    RevisionRouting(StateHandOver handOver) {
        this.handOver = handOver;
    }

    HandlerRevision active() {
        return slot.current();
    }

    boolean inGap() {
        return slot.current() == null;
    }

    /** True once the gap has lasted {@code limit}. */
    boolean gapExpired(Duration limit) {
        return gapStartedNanos != 0 && System.nanoTime() - gapStartedNanos >= limit.toNanos();
    }

    /**
     * Makes {@code winner}'s revision the one new connections get; the previous one drains. Before the first connection
     * reaches it, {@code winner} takes over the state of the revision it follows (the active one, or the one that left
     * for the gap; {@link StateHandOver}). Returns the new revision and the previous one, or null when {@code winner}
     * was active already.
     */
    Swap activate(HandlerCandidate winner) {
        HandlerRevision previous = slot.current();
        if (previous != null && previous.candidate() == winner) {
            return null;
        }
        HandlerRevision next = new HandlerRevision(winner);
        HandlerRevision predecessor = previous != null ? previous : leftForGap;
        leftForGap = null;
        lastHandOver = handOver.carry(predecessor, winner); // the slot still holds the old revision (or none)
        slot.set(next);
        gapStartedNanos = 0;
        retire(previous);
        return new Swap(next, previous);
    }

    record Swap(HandlerRevision next, HandlerRevision previous) {
    }

    /** What happened to the state at the last activation (for tests and diagnostics). */
    StateHandOver.Outcome lastHandOver() {
        return lastHandOver;
    }

    /** Empties the slot: new connections wait for a replacement. Returns the revision that was active. */
    HandlerRevision enterGap() {
        HandlerRevision previous = slot.set(null);
        if (previous != null) {
            leftForGap = previous;
        }
        if (gapStartedNanos == 0) {
            gapStartedNanos = System.nanoTime();
        }
        retire(previous);
        return previous;
    }

    private void retire(HandlerRevision revision) {
        if (revision != null) {
            draining.add(revision);
        }
    }

    /** On the accepting thread: the revision current now, which a worker starting much later still uses. */
    void pin(Connection c) {
        c.pin(slot.current());
    }

    /**
     * The revision a connection runs on: the one pinned at accept, or in the gap the next to become active, waited for
     * up to {@code gap}; null if none came. The wait is recorded as the pin.
     */
    HandlerRevision resolve(Connection c, Duration gap) throws InterruptedException {
        HandlerRevision pinned = c.revision();
        if (pinned == null) {
            pinned = slot.await(gap);
            c.pin(pinned);
        }
        return pinned;
    }

    /** Closes what a retired revision still has open; returns how many connections were closed. */
    int drain(HandlerRevision revision) {
        int n = revision.closeOpen();
        if (revision.openCount() == 0 || n > 0) {
            draining.remove(revision);
        }
        return n;
    }

    /** Forgets retired revisions that have finished on their own; returns how many. */
    int pruneDrained() {
        int before = draining.size();
        draining.removeIf(r -> r.openCount() == 0);
        return before - draining.size();
    }

    /** Retired revisions still tracked, finished or not. */
    int retiredCount() {
        return draining.size();
    }

    /** At the listener's close: the active revision's connections get the same grace as a retired one's. */
    void retireActive() {
        retire(slot.set(null));
    }

    /** Closes every connection still open on any revision; returns how many. */
    int closeAll() {
        int closed = 0;
        for (HandlerRevision r : all()) {
            closed += r.closeOpen();
        }
        return closed;
    }

    long openConnections() {
        long n = 0;
        for (HandlerRevision r : all()) {
            n += r.openCount();
        }
        return n;
    }

    /** Retired revisions still serving connections. */
    List<HandlerRevision> draining() {
        return draining.stream().filter(r -> r.openCount() > 0).toList();
    }

    private List<HandlerRevision> all() {
        List<HandlerRevision> all = new ArrayList<>(draining);
        HandlerRevision active = slot.current();
        if (active != null) {
            all.add(active);
        }
        return all;
    }
}
