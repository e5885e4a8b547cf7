package io.portside.server.host.internal;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import io.portside.handler.api.PolicyDecision;

/**
 * The admission stage: the listener's policies judge each connection, and what an admitting policy holds for it is
 * released when it ends. (Later stages of admission, such as connection limits, plug in here.)
 *
 * <p>While a policy the listener was using is being replaced (its bundle updated), judging by the weaker chain would
 * either let through what the missing policy would refuse or, failing closed, refuse everyone. Instead connections
 * accepted meanwhile are judged later, in their worker, once the policy is back or the gap has run out.
 */
final class Admission {

    private static final System.Logger LOG = System.getLogger("io.portside.host");

    private final Supplier<ListenerSpec> spec;
    private final ListenerCounters counters;
    private volatile PolicyChain chain = PolicyChain.NONE;
    private volatile boolean inGap;
    private List<String> awaited = List.of(); // guarded by this
    private long gapDeadline;                 // System.nanoTime(); guarded by this

    Admission(Supplier<ListenerSpec> spec, ListenerCounters counters) {
        this.spec = spec;
        this.counters = counters;
    }

    PolicyChain chain() {
        return chain;
    }

    /**
     * Installs the chain the whiteboard computed. A policy that left the chain because its service went away (not
     * because the configuration stopped asking for it) opens a gap. Returns the policies that just opened one.
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

    /** On the accepting thread: true to go on, admitted now or (a policy being replaced) to be judged in the worker. */
    boolean atAccept(Connection c) {
        if (inGap) {
            c.deferAdmission(true);
            return true;
        }
        return admit(c, chain);
    }

    /** Where the worker runs: judges a connection whose admission was deferred, once the gap is over; true to go on. */
    boolean afterGap(Connection c) {
        if (!c.admissionDeferred()) {
            return true;
        }
        c.deferAdmission(false);
        PolicyChain settled;
        try {
            settled = awaitGapEnd();
        } catch (InterruptedException e) { // the listener is closing under it
            Thread.currentThread().interrupt();
            counters.onRejected();
            LOG.log(Level.INFO, "Listener {0}: rejected {1}: interrupted while its policies were being replaced",
                    spec.get().name(), c.clientAddress());
            return false;
        }
        return admit(c, settled);
    }

    private synchronized PolicyChain awaitGapEnd() throws InterruptedException {
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

    private boolean admit(Connection c, PolicyChain judges) {
        if (judges.policies().isEmpty() && !judges.required()) {
            return true;
        }
        ListenerSpec s = spec.get();
        PolicyDecision decision = judges.verify(s.name(), s.endpoint().transport(), c.clientAddress(), c::peerCredentials);
        if (!decision.accepted()) {
            counters.onRejected();
            LOG.log(Level.INFO, "Listener {0}: rejected {1}: {2}", s.name(), c.clientAddress(), decision.reason());
            return false;
        }
        c.holdPolicyRelease(decision.onRequestEnd());
        return true;
    }

    /** At the connection's end: runs what the admitting policies asked to run. */
    void release(Connection c) {
        Runnable release = c.takePolicyRelease();
        if (release == null) {
            return;
        }
        try {
            release.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Listener {0}: a policy failed to release a request: {1}", spec.get().name(), String.valueOf(e));
        }
    }
}
