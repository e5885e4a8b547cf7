package io.portside.server.host.internal;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.portside.handler.api.PolicyDecision;
import io.portside.server.metrics.internal.Refusal;

/**
 * The admission stage: the listener's connection limit ({@code max.connections}) and its policies judge each
 * connection, and what either holds for it (a slot, a policy's count) is released when it ends. Over the limit a
 * connection is refused before any policy sees it: the serving thread accepts and closes it at once, so the backlog
 * never fills with clients that will not be served.
 *
 * <p>The limit counts stream connections only. A datagram holds no descriptor of its own, and how many of its
 * handlers run at once is the concurrency model's bound (a pool's size and queue).
 *
 * <p>While a policy the listener was using is being replaced (its bundle updated), judging by the weaker chain would
 * either let through what the missing policy would refuse or, failing closed, refuse everyone. Instead connections
 * accepted meanwhile are judged later, in their worker, once the policy is back or the gap has run out.
 */
final class Admission {

    private static final System.Logger LOG = System.getLogger("io.portside.host");

    private final Supplier<ListenerSpec> spec;
    private final ListenerCounters counters;
    private final DescriptorBudget budget;
    /** This listener's part of the host's descriptor budget, while it is bound with a stream socket; else null. */
    private volatile DescriptorBudget.Share share;
    /** Stream connections admitted to the limit and not yet ended (counted even without a limit, so one set in place is exact). */
    private final AtomicInteger open = new AtomicInteger();
    private volatile PolicyChain chain = PolicyChain.NONE;
    private volatile boolean inGap;
    private List<String> awaited = List.of(); // guarded by this
    private long gapDeadline;                 // System.nanoTime(); guarded by this

    /** Without a host-wide budget (a listener tested alone). */
    Admission(Supplier<ListenerSpec> spec, ListenerCounters counters) {
        this(spec, counters, DescriptorBudget.UNLIMITED);
    }

    Admission(Supplier<ListenerSpec> spec, ListenerCounters counters, DescriptorBudget budget) {
        this.spec = spec;
        this.counters = counters;
        this.budget = budget;
    }

    /** The listener's stream socket is bound: its connections count against the host's descriptor budget from now. */
    void joinBudget() {
        share = budget.join();
    }

    /** The listener closed: its floor in the budget goes back to the others. */
    void leaveBudget() {
        DescriptorBudget.Share s = share;
        if (s != null) {
            s.leave();
        }
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

    /**
     * On the accepting thread: true to go on, admitted now or to be judged in the worker: while a policy is being
     * replaced, or on a TLS listener ({@code afterHandshake}), whose policies may judge the client's certificate.
     * False when it must end: over the connection limit, or refused by a policy (counted and logged here).
     */
    boolean atAccept(Connection c, boolean afterHandshake) {
        if (!withinLimit(c) || !fromTrustedProxy(c)) {
            return false;
        }
        if (inGap || afterHandshake && chain.judges()) {
            c.deferAdmission(true);
            return true;
        }
        return admit(c, chain);
    }

    /**
     * Takes a slot for a stream connection, in the listener's limit and in the host's descriptor budget; false
     * (counted, logged) when that puts it over either. The slot is held even then: the connection's end releases it,
     * once, whichever stage ends it.
     */
    private boolean withinLimit(Connection c) {
        if (!c.stream()) {
            return true;
        }
        DescriptorBudget.Share s = share;
        c.holdSlot(s);
        boolean inBudget = s == null || s.take();
        int now = open.incrementAndGet();
        int limit = spec.get().connectionLimit();
        if (limit != 0 && now > limit) {
            counters.onRefused(Refusal.CONNECTION_LIMIT);
            // One template per listener: the launcher's log limiter passes a burst of these and summarizes the rest.
            LOG.log(Level.INFO, "Listener {0}: rejected {1}: at its limit of {2} connections (max.connections)", spec.get().name(),
                    c.clientAddress(), String.valueOf(limit)); // a String: MessageFormat would group digits
            return false;
        }
        if (!inBudget) {
            counters.onRefused(Refusal.DESCRIPTOR_BUDGET);
            LOG.log(Level.INFO, "Listener {0}: rejected {1}: the host''s descriptor budget is spent ({2} connections for all listeners,"
                    + " up to {3} of them held for each of the others; {4})", spec.get().name(), c.clientAddress(),
                    String.valueOf(budget.budget()), String.valueOf(budget.floor()), DescriptorBudget.RESERVE_PROPERTY);
            return false;
        }
        return true;
    }

    /**
     * On a listener that takes PROXY headers, a TCP connection must come from a proxy in {@code proxy.trusted}: from
     * anywhere else a header would let the client claim any address, so it is refused (counted, logged).
     */
    private boolean fromTrustedProxy(Connection c) {
        ListenerProxyConfig proxy = spec.get().proxy();
        if (!c.stream() || !proxy.enabled() || proxy.trusts(c.peerAddress())) {
            return true;
        }
        counters.onRefused(Refusal.UNTRUSTED_PROXY);
        LOG.log(Level.INFO, "Listener {0}: rejected {1}: not a trusted proxy (proxy.trusted); this listener takes connections only"
                + " through one", spec.get().name(), c.peerAddress());
        return false;
    }

    /**
     * Why every connection is refused now, or null: a policy the listener requires is missing and no gap holds its
     * connections for a replacement (fail closed). For the runtime view, so that a load balancer's agent can tell.
     */
    String refusesEveryone() {
        return inGap ? null : chain.refusesAll();
    }

    /** Stream connections holding a slot now (admitted and not yet ended, plus those being closed over the limit). */
    int openConnections() {
        return open.get();
    }

    /**
     * Where the worker runs, after any TLS handshake: judges a connection whose admission was deferred, once a gap is
     * over; true to go on.
     */
    boolean deferred(Connection c) {
        if (!c.admissionDeferred()) {
            return true;
        }
        c.deferAdmission(false);
        PolicyChain settled;
        try {
            settled = awaitGapEnd();
        } catch (InterruptedException e) { // the listener is closing under it
            Thread.currentThread().interrupt();
            counters.onRefused(Refusal.POLICY_GAP);
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
        if (!judges.judges()) {
            return true;
        }
        ListenerSpec s = spec.get();
        PolicyDecision decision = judges.verify(new PolicyChain.ConnectionRequest(s.name(), s.endpoint().transport(), c));
        if (!decision.accepted()) {
            counters.onRefused(Refusal.POLICY);
            LOG.log(Level.INFO, "Listener {0}: rejected {1}: {2}", s.name(), c.clientAddress(), decision.reason());
            return false;
        }
        c.holdPolicyRelease(decision.onRequestEnd());
        return true;
    }

    /** At the connection's end: frees its slot in the limit and runs what the admitting policies asked to run. */
    void release(Connection c) {
        if (c.takeSlot()) {
            open.decrementAndGet();
            DescriptorBudget.Share s = c.takeBudgetShare();
            if (s != null) {
                s.release();
            }
        }
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
