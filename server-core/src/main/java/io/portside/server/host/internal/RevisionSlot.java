package io.portside.server.host.internal;

import java.time.Duration;

/**
 * The revision new requests go to. While it is empty (a handler bundle being updated), requests wait for a
 * replacement up to a deadline instead of being refused.
 */
final class RevisionSlot {

    private volatile HandlerRevision current; // written under this

    HandlerRevision current() {
        return current;
    }

    /** Installs the next revision (or {@code null} for the gap) and wakes the waiting requests; returns the previous. */
    synchronized HandlerRevision set(HandlerRevision next) {
        HandlerRevision previous = current;
        current = next;
        notifyAll();
        return previous;
    }

    /** The current revision, waiting up to {@code wait} while there is none; {@code null} if none came. */
    HandlerRevision await(Duration wait) throws InterruptedException {
        HandlerRevision now = current;
        return now != null ? now : awaitSlow(wait);
    }

    private synchronized HandlerRevision awaitSlow(Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (current == null) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return current;
    }
}
