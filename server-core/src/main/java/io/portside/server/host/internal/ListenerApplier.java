package io.portside.server.host.internal;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import org.osgi.service.component.runtime.ServiceComponentRuntime;

import io.portside.server.runtime.ListenerView;

/**
 * Makes the running listeners what a {@link DesiredListeners.Plan} asks for: binds, re-points, swaps, drains, gaps and
 * closes them, retries binds that may succeed later, and logs each change once. Runs on the whiteboard's loop thread
 * only; {@link #views()} may be called from any thread.
 */
final class ListenerApplier {

    private static final System.Logger LOG = System.getLogger("io.portside.host");

    private final ScheduledExecutorService loop;
    private final Runnable reconcile;
    private final Duration shutdownGrace;
    // Written only on the loop thread; read by views() from any thread.
    private final Map<String, Listener> listeners = new ConcurrentHashMap<>();
    private final Map<String, ListenerView> failed = new ConcurrentHashMap<>();
    /** Listeners serving a last good configuration because their file is invalid now: why. */
    private final Map<String, String> configProblems = new ConcurrentHashMap<>();
    private final ChangeLog changeLog = new ChangeLog();
    private final BindRetries bindRetries = new BindRetries();
    private final AtomicLong changes = new AtomicLong();

    /**
     * @param reconcile runs another pass on the loop (for timers: gaps, retries)
     */
    ListenerApplier(ScheduledExecutorService loop, Runnable reconcile, Duration shutdownGrace) {
        this.loop = loop;
        this.reconcile = reconcile;
        this.shutdownGrace = shutdownGrace;
    }

    /**
     * One pass.
     *
     * @param configured whether a listener configuration PID still exists
     */
    void apply(DesiredListeners.Plan plan, List<HandlerCandidate> candidates, PolicyRegistry policies, Predicate<String> configured,
            ServiceComponentRuntime scr) {
        Map<String, ListenerSpec> desired = plan.desired();
        Map<String, ListenerView> failures = plan.failures();
        configProblems.clear();
        configProblems.putAll(plan.configProblems());
        for (String key : new TreeSet<>(union(listeners.keySet(), desired.keySet()))) {
            ListenerSpec spec = desired.get(key);
            Listener listener = listeners.get(key);
            if (spec == null) {
                bindRetries.forget(key);
                String claimant = plan.claimedBy(key);
                if (listener != null && claimant != null) {
                    closeListener(key, listener, Duration.ZERO);
                    changeLog.info(key, "Listener {0} unbound {1}: listener {2} claims it, and its configuration is invalid",
                            listener.spec().name(), listener.boundEndpoint(), claimant);
                } else if (listener != null) {
                    retireUnwanted(key, listener, configured);
                }
                continue;
            }
            List<HandlerCandidate> matching = candidates.stream().filter(spec::accepts).toList();
            // A handler name often covers a stream and a datagram service (echo): only the kind that fits counts,
            // and a mismatch is a failure only when nothing fits.
            List<HandlerCandidate> compatible = matching.stream().filter(c -> c.stream() == spec.endpoint().transport().isStream()).toList();
            if (compatible.isEmpty() && !matching.isEmpty()) {
                HandlerCandidate c = matching.get(0);
                record(failures, spec, "handler " + c + " serves " + (c.stream() ? "streams" : "datagrams")
                        + " but " + spec.endpoint() + " is a " + (c.stream() ? "datagram" : "stream") + " endpoint");
            }
            HandlerCandidate winner = compatible.isEmpty() ? null : compatible.get(0);
            ListenerSpec settled;
            try {
                // A listener keeps its model unless one is configured, so re-pointing it never costs the socket.
                settled = listener != null && spec.concurrency() == null
                        ? spec.withConcurrency(listener.spec().concurrency()) : spec.withHandlerConcurrency(winner);
            } catch (IllegalArgumentException e) {
                record(failures, spec, "bad concurrency: " + e.getMessage());
                continue;
            }
            List<HandlerCandidate> shadowed = compatible.size() > 1 ? List.copyOf(compatible.subList(1, compatible.size())) : List.of();
            PolicyChain chain = policies.chainFor(settled);
            if (listener != null && listener.spec().needsRebind(settled)) {
                changeLog.info(key, "Listener {0} on {1}: rebinding for its new settings", listener.spec().name(), key);
                closeListener(key, listener, Duration.ZERO);
                listener = null;
            }
            if (listener == null) {
                if (winner != null) {
                    bindNew(key, settled, chain, shadowed, winner, failures, policies.names());
                } else if (settled.explicit()) {
                    failures.putIfAbsent(settled.name(), UnboundViews.waiting(settled, "no handler matches " + settled.handlerFilter()));
                }
                continue;
            }
            List<String> policyGap = listener.update(settled, chain, shadowed, policies.names());
            if (!policyGap.isEmpty()) {
                changeLog.info(key, "Listener {0} on {1}: policies {2} gone; new requests wait up to {3} ms for their replacement",
                        settled.name(), listener.boundEndpoint(), policyGap, settled.gap().toMillis());
                loop.schedule(reconcile, settled.gap().toMillis() + 10, TimeUnit.MILLISECONDS);
            }
            if (winner == null) {
                gapOrClose(key, listener);
            } else {
                boolean wasWaiting = listener.inGap();
                HandlerRevision previous = listener.activate(winner);
                if (previous != null) {
                    changeLog.info(key, "Listener {0} on {1}: swapped handler {2} -> {3}; {4} open drain on the old one",
                            settled.name(), listener.boundEndpoint(), previous.candidate(), winner, connections(previous.openCount()));
                    scheduleDrain(listener, previous);
                } else if (wasWaiting) {
                    changeLog.info(key, "Listener {0} on {1}: handler {2} active again", settled.name(), listener.boundEndpoint(), winner);
                }
            }
        }
        for (ComponentFailures.Failed f : ComponentFailures.find(scr)) {
            failures.putIfAbsent(f.handler(), f.view());
        }
        failed.clear();
        failed.putAll(failures);
        changeLog.report(failures, configProblems);
        changes.incrementAndGet();
    }

    /** Every listener's view, the failed and waiting ones included, sorted by endpoint. */
    List<ListenerView> views() {
        List<ListenerView> views = new ArrayList<>();
        for (Listener l : listeners.values()) {
            views.add(l.view(configProblems.get(l.spec().name())));
        }
        views.addAll(failed.values());
        views.sort(Comparator.comparing(ListenerView::endpoint).thenComparing(ListenerView::name));
        return views;
    }

    long changeCount() {
        return changes.get();
    }

    private void bindNew(String key, ListenerSpec spec, PolicyChain chain, List<HandlerCandidate> shadowed, HandlerCandidate winner,
            Map<String, ListenerView> failures, java.util.Set<String> policyNames) {
        Listener listener = new Listener(spec);
        listener.update(spec, chain, shadowed, policyNames);
        try {
            listener.bind();
        } catch (Exception e) {
            BindFailure kind = BindFailure.of(e);
            String retry = "";
            if (kind.retryable()) {
                Duration delay = bindRetries.failed(key, System.nanoTime());
                if (delay != null) {
                    loop.schedule(() -> {
                        bindRetries.due(key);
                        reconcile.run();
                    }, delay.toMillis(), TimeUnit.MILLISECONDS);
                }
                retry = "; retrying with back-off";
            }
            record(failures, spec, "cannot bind " + spec.endpoint() + " for handler " + winner + ": " + BindFailure.describe(e) + retry);
            return;
        }
        listener.activate(winner);
        listeners.put(key, listener);
        Duration failedFor = bindRetries.succeeded(key, System.nanoTime());
        changeLog.info(key, "Listener {0} bound {1}: handler {2}, concurrency {3}{4}{5}", spec.name(), listener.boundEndpoint(), winner,
                spec.concurrency(), chain.names().isEmpty() && !chain.required() ? "" : ", policies " + chain.names(),
                failedFor == null ? "" : " (after failing for " + failedFor.toSeconds() + " s)");
    }

    /** Nothing asks for this endpoint any more: a configuration was deleted (close now) or its handler left (gap). */
    private void retireUnwanted(String key, Listener listener, Predicate<String> configured) {
        if (listener.spec().explicit() && !configured.test(listener.spec().configPid())) {
            closeListener(key, listener, listener.spec().drain().compareTo(shutdownGrace) < 0 ? listener.spec().drain() : shutdownGrace);
            changeLog.info(key, "Listener {0} unbound {1}: its configuration was removed", listener.spec().name(), listener.boundEndpoint());
            return;
        }
        gapOrClose(key, listener);
    }

    private void gapOrClose(String key, Listener listener) {
        if (!listener.inGap()) {
            HandlerRevision previous = listener.enterGap();
            changeLog.info(key, "Listener {0} on {1}: handler {2} gone; holding the socket up to {3} ms for a replacement",
                    listener.spec().name(), listener.boundEndpoint(), previous == null ? "?" : previous.candidate(),
                    listener.spec().gap().toMillis());
            if (previous != null) {
                scheduleDrain(listener, previous);
            }
            loop.schedule(reconcile, listener.spec().gap().toMillis() + 10, TimeUnit.MILLISECONDS);
        } else if (listener.gapExpired()) {
            closeListener(key, listener, Duration.ZERO);
            changeLog.info(key, "Listener {0} unbound {1}: no handler", listener.spec().name(), listener.boundEndpoint());
        }
    }

    private void scheduleDrain(Listener listener, HandlerRevision retired) {
        long delay = listener.spec().drain().toMillis();
        loop.schedule(() -> {
            int closed = listener.drain(retired);
            if (closed > 0) {
                LOG.log(Level.INFO, "Listener {0}: closed {1} still on {2} at the drain deadline ({3} ms)",
                        listener.spec().name(), connections(closed), retired.candidate(), delay);
            }
        }, delay, TimeUnit.MILLISECONDS);
        loop.schedule(listener::pruneDrained, 1, TimeUnit.SECONDS);
    }

    private void closeListener(String key, Listener listener, Duration grace) {
        listeners.remove(key);
        changeLog.forget(key);
        int closed = listener.close(grace);
        if (closed > 0) {
            LOG.log(Level.INFO, "Listener {0}: closed {1} at its close", listener.spec().name(), connections(closed));
        }
    }

    /** Closes every listener, each with the shutdown grace period, in parallel. */
    void closeAll() {
        List<Thread> closers = new ArrayList<>();
        for (Map.Entry<String, Listener> e : listeners.entrySet()) {
            Listener l = e.getValue();
            Thread t = Thread.ofVirtual().start(() -> {
                try {
                    l.close(shutdownGrace);
                } catch (RuntimeException | Error failure) { // the line below is what an operator watches for: never skip it
                    LOG.log(Level.WARNING, "Listener {0}: closing it failed: {1}", l.spec().name(), String.valueOf(failure));
                }
                LOG.log(Level.INFO, "Listener {0} unbound {1}: host stopping", l.spec().name(), l.boundEndpoint());
            });
            closers.add(t);
        }
        for (Thread t : closers) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        listeners.clear();
    }

    private static void record(Map<String, ListenerView> failures, ListenerSpec spec, String reason) {
        failures.put(spec.name(), UnboundViews.failed(spec, reason));
    }

    private static String connections(int n) {
        return n == 1 ? "1 connection" : n + " connections";
    }

    private static <T> java.util.Set<T> union(java.util.Set<T> a, java.util.Set<T> b) {
        java.util.Set<T> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return all;
    }
}
