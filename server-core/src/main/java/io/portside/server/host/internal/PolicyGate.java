package io.portside.server.host.internal;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The policies a listener consults, and the gap while one of them is being replaced. When a policy the listener
 * was using disappears (its bundle is being updated), judging requests by the weaker chain would either let
 * through what the missing policy would refuse or, failing closed, refuse everyone. Instead, requests accepted
 * meanwhile are judged later, in their worker, once the policy is back or the gap has run out.
 */
final class PolicyGate {

    private volatile PolicyChain chain = PolicyChain.NONE;
    private volatile boolean inGap;
    private List<String> awaited = List.of(); // guarded by this
    private long gapDeadline;                 // System.nanoTime(); guarded by this
    private final Set<Object> deferred = ConcurrentHashMap.newKeySet();

    PolicyChain chain() {
        return chain;
    }

    /**
     * Installs the chain the whiteboard computed. A policy that left the chain because its service went away
     * (not because the configuration stopped asking for it) opens a gap. Returns the policies that just opened
     * one, or an empty list.
     *
     * @param registered the names of every policy service registered now
     */
    synchronized List<String> update(PolicyChain next, Duration gap, Set<String> registered) {
        List<String> lost = chain.names().stream().filter(n -> !next.names().contains(n) && !registered.contains(n)).toList();
        List<String> opened = List.of();
        if (inGap) {
            if (next.names().containsAll(awaited) || System.nanoTime() - gapDeadline >= 0) {
                inGap = false;
            }
        } else if (!lost.isEmpty() && !gap.isZero()) {
            inGap = true;
            awaited = lost;
            gapDeadline = System.nanoTime() + gap.toNanos();
            opened = lost;
        }
        chain = next;
        notifyAll();
        return opened;
    }

    /** On the accepting thread: true if the request must be judged later, because a policy is being replaced. */
    boolean deferIfInGap(Object request) {
        if (!inGap) {
            return false;
        }
        deferred.add(request);
        return true;
    }

    /**
     * In the request's worker: for a deferred request, waits until the gap has ended (the policy is back, or the
     * gap ran out) and returns the chain to judge it by; {@code null} for a request judged at accept.
     */
    PolicyChain awaitChain(Object request) throws InterruptedException {
        if (deferred.isEmpty() || !deferred.remove(request)) {
            return null; // judged at accept (isEmpty first: no hashing of the request in the common case)
        }
        synchronized (this) {
            while (inGap) {
                long left = gapDeadline - System.nanoTime();
                if (left <= 0) {
                    inGap = false;
                    break;
                }
                wait(Math.max(1, left / 1_000_000));
            }
            return chain;
        }
    }

    void forget(Object request) {
        if (!deferred.isEmpty()) {
            deferred.remove(request);
        }
    }
}
