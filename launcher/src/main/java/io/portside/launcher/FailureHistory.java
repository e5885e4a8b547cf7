package io.portside.launcher;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.portside.launcher.HostStatus.Failure;
import io.portside.launcher.HostStatus.Listener;

/**
 * The latest listener failures, each when first seen, so that {@code portside status} also shows a failure that has
 * since been repaired (a port that was taken for a while, a configuration fixed after a bad edit). A failure is
 * recorded again only after its listener has been without it, or with another one.
 */
final class FailureHistory {

    static final int KEPT = 20;

    private final Deque<Failure> recent = new ArrayDeque<>();
    /** Per listener (name and endpoint), its reason and message when last observed. */
    private final Map<String, String> current = new HashMap<>();

    synchronized void observe(List<Listener> listeners, Instant now) {
        Set<String> seen = new HashSet<>();
        for (Listener l : listeners) {
            String key = l.name() + " " + l.endpoint();
            seen.add(key);
            if (l.failure() == null) {
                current.remove(key);
                continue;
            }
            String failure = l.reason() + " " + l.failure();
            if (!failure.equals(current.put(key, failure))) {
                recent.addLast(new Failure(now.truncatedTo(ChronoUnit.SECONDS).toString(), l.name(), l.endpoint(), l.reason(), l.failure()));
                if (recent.size() > KEPT) {
                    recent.removeFirst();
                }
            }
        }
        current.keySet().retainAll(seen);
    }

    /** Oldest first. */
    synchronized List<Failure> recent() {
        return List.copyOf(recent);
    }
}
