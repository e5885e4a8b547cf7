package io.portside.policy.connectionlimit;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import io.portside.handler.api.PolicyDecision;

/**
 * Counts open connections, in total and per client, and admits a new one only below the limits. An admission
 * carries its release ({@link PolicyDecision#accept(Runnable)}), which the host runs when the connection has ended;
 * a client whose count drops to zero is forgotten, so memory follows the open connections, not the clients ever seen.
 * One lock guards the counts: the critical sections are a few map operations.
 */
final class ConnectionCounter {

    private final Map<String, Integer> perClient = new HashMap<>();
    private int total;

    /** Admits a connection from {@code client} if {@code limits} allow one more. */
    synchronized PolicyDecision admit(String client, Limits limits) {
        if (limits.total() > 0 && total >= limits.total()) {
            return PolicyDecision.reject("connection limit reached: " + total + " open of " + limits.total());
        }
        int mine = perClient.getOrDefault(client, 0);
        if (limits.perClient() > 0 && mine >= limits.perClient()) {
            return PolicyDecision.reject("per-client connection limit reached: " + client + " has " + mine + " open of " + limits.perClient());
        }
        perClient.put(client, mine + 1);
        total++;
        AtomicBoolean released = new AtomicBoolean();
        return PolicyDecision.accept(() -> {
            if (released.compareAndSet(false, true)) {
                release(client);
            }
        });
    }

    private synchronized void release(String client) {
        total--;
        perClient.computeIfPresent(client, (k, n) -> n > 1 ? n - 1 : null);
    }

    synchronized int open() {
        return total;
    }

    synchronized int open(String client) {
        return perClient.getOrDefault(client, 0);
    }

    /** How many clients are remembered: only those with open connections. */
    synchronized int clients() {
        return perClient.size();
    }
}
