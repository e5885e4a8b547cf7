package io.portside.server.host.internal;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import org.osgi.service.component.runtime.ServiceComponentRuntime;

import io.portside.server.metrics.internal.ListenerSample;
import io.portside.server.runtime.FailureReason;
import io.portside.server.runtime.ListenerView;

/**
 * Makes the running listeners what a {@link ListenerPlan} asks for: binds new ones, updates, swaps and re-activates
 * them in place, rebinds those whose socket settings changed, gaps and closes those no longer wanted, drains replaced
 * revisions, retries binds that may succeed later, and logs each change once. It decides nothing the plan already
 * decided. Runs on the whiteboard's loop thread only; {@link #views()} may be called from any thread.
 */
final class ListenerApplier {

    private static final System.Logger LOG = System.getLogger("io.portside.host");

    private final ScheduledExecutorService loop;
    private final Runnable reconcile;
    private final Duration shutdownGrace;
    private final DescriptorBudget descriptors;
    // Written only on the loop thread; read by views() from any thread.
    private final Map<String, Listener> listeners = new ConcurrentHashMap<>();
    private volatile List<ListenerView> unbound = List.of();
    /** Listeners serving a last good configuration because their file is invalid now: why. */
    private volatile Map<String, String> configProblems = Map.of();
    private final ChangeLog changeLog = new ChangeLog();
    private final BindRetries bindRetries = new BindRetries();
    private final AtomicLong changes = new AtomicLong();

    /**
     * @param reconcile   runs another pass on the loop (for timers: gaps, retries)
     * @param descriptors the host's descriptor budget, shared by every listener it binds
     */
    ListenerApplier(ScheduledExecutorService loop, Runnable reconcile, Duration shutdownGrace, DescriptorBudget descriptors) {
        this.loop = loop;
        this.reconcile = reconcile;
        this.shutdownGrace = shutdownGrace;
        this.descriptors = descriptors;
    }

    /** By endpoint key, the concurrency of each listener bound now: the plan keeps it when a listener is re-pointed. */
    Map<String, ConcurrencySpec> runningConcurrency() {
        Map<String, ConcurrencySpec> running = new HashMap<>();
        listeners.forEach((key, l) -> running.put(key, l.spec().concurrency()));
        return running;
    }

    /**
     * One pass.
     *
     * @param configured whether a listener configuration PID still exists
     * @param scr        to find handler and policy components that failed to activate; null when absent
     */
    void apply(ListenerPlan plan, Predicate<String> configured, ServiceComponentRuntime scr) {
        Map<String, ListenerFailure> failures = new TreeMap<>(plan.failures());
        Set<String> keys = new TreeSet<>(listeners.keySet());
        keys.addAll(plan.desired().keySet());
        for (String key : keys) {
            DesiredListener wanted = plan.desired().get(key);
            Listener listener = listeners.get(key);
            if (wanted == null) {
                bindRetries.forget(key);
                if (listener != null) {
                    retire(key, listener, plan.claimedBy(key), configured);
                }
                continue;
            }
            if (listener != null && listener.spec().needsRebind(wanted.spec())) {
                changeLog.info(key, "Listener {0} on {1}: rebinding for its new settings", listener.spec().name(), key);
                closeListener(key, listener, Duration.ZERO);
                listener = null;
            }
            if (listener == null) {
                bindOrWait(key, wanted, plan.policyNames(), failures);
            } else {
                updateInPlace(key, listener, wanted, plan.policyNames());
            }
        }
        for (ComponentFailures.Failed f : ComponentFailures.find(scr)) {
            failures.putIfAbsent(f.handler(), f.failure());
        }
        publish(failures, plan.configProblems());
    }

    private void publish(Map<String, ListenerFailure> failures, Map<String, String> problems) {
        configProblems = Map.copyOf(problems);
        unbound = failures.values().stream().map(ListenerFailure::view).toList();
        changeLog.report(failures, problems);
        changes.incrementAndGet();
    }

    /** Every listener's metrics sample, the failed and waiting ones included. */
    List<ListenerSample> samples() {
        Map<String, String> problems = configProblems;
        List<ListenerSample> samples = new ArrayList<>();
        for (Listener l : listeners.values()) {
            String problem = problems.get(l.spec().name());
            samples.add(MetricsFeed.of(l, l.view(problem)));
        }
        for (ListenerView v : unbound) {
            samples.add(MetricsFeed.unbound(v));
        }
        return samples;
    }

    /** Every listener's view, the failed and waiting ones included, sorted by endpoint. */
    List<ListenerView> views() {
        Map<String, String> problems = configProblems;
        List<ListenerView> views = new ArrayList<>();
        for (Listener l : listeners.values()) {
            String problem = problems.get(l.spec().name());
            ListenerView v = l.view(problem);
            views.add(problem == null ? v : v.toBuilder().reason(FailureReason.BAD_CONFIGURATION).build());
        }
        views.addAll(unbound);
        views.sort(Comparator.comparing(ListenerView::endpoint).thenComparing(ListenerView::name));
        return views;
    }

    long changeCount() {
        return changes.get();
    }

    // ------------------------------------------------------------------ the changes

    /** No listener on {@code key}: binds one for the winner, or shows why there is none. */
    private void bindOrWait(String key, DesiredListener wanted, Set<String> policyNames, Map<String, ListenerFailure> failures) {
        if (wanted.winner() == null) {
            ListenerFailure waiting = wanted.waitingWithoutSocket();
            if (waiting != null) {
                failures.putIfAbsent(waiting.name(), waiting);
            }
            return;
        }
        ListenerSpec spec = wanted.spec();
        Listener listener = new Listener(spec, descriptors);
        listener.update(spec, wanted.chain(), wanted.shadowed(), policyNames);
        try {
            listener.bind();
        } catch (Exception e) {
            boolean retrying = BindFailure.of(e).retryable() && scheduleBindRetry(key);
            failures.put(spec.name(), ListenerFailure.failed(spec, FailureReason.BIND_FAILED, "cannot bind " + spec.endpoint()
                    + " for handler " + wanted.winner() + ": " + BindFailure.describe(e) + (retrying ? "; retrying with back-off" : "")));
            return;
        }
        listener.activate(wanted.winner());
        listeners.put(key, listener);
        Duration failedFor = bindRetries.succeeded(key, System.nanoTime());
        PolicyChain chain = wanted.chain();
        changeLog.info(key, "Listener {0} bound {1}: handler {2}, {3}{4}{5}", spec.name(), listener.boundEndpoint(),
                wanted.winner(), wanted.winner().protocol() ? "an event-driven protocol on the listener's loops"
                        : "concurrency " + spec.concurrency(), chain.names().isEmpty() && !chain.required() ? "" : ", policies " + chain.names(),
                failedFor == null ? "" : " (after failing for " + failedFor.toSeconds() + " s)");
    }

    /**
     * Schedules another pass after the back-off; true if the failure is retried (also when a retry is pending already).
     */
    private boolean scheduleBindRetry(String key) {
        Duration delay = bindRetries.failed(key, System.nanoTime());
        if (delay != null) {
            loop.schedule(() -> {
                bindRetries.due(key);
                reconcile.run();
            }, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
        return true;
    }

    /** A bound listener: new settings and policies in place, then the winner active (a swap), or the gap. */
    private void updateInPlace(String key, Listener listener, DesiredListener wanted, Set<String> policyNames) {
        ListenerSpec spec = wanted.spec();
        List<String> policyGap = listener.update(spec, wanted.chain(), wanted.shadowed(), policyNames);
        if (!policyGap.isEmpty()) {
            changeLog.info(key, "Listener {0} on {1}: policies {2} gone; new requests wait up to {3} ms for their replacement",
                    spec.name(), listener.boundEndpoint(), policyGap, spec.gap().toMillis());
            loop.schedule(reconcile, spec.gap().toMillis() + 10, TimeUnit.MILLISECONDS);
        }
        HandlerCandidate winner = wanted.winner();
        if (winner == null) {
            gapOrClose(key, listener);
            return;
        }
        boolean wasWaiting = listener.inGap();
        HandlerRevision previous = listener.activate(winner);
        if (previous != null) {
            changeLog.info(key, "Listener {0} on {1}: swapped handler {2} -> {3}; {4} open drain on the old one",
                    spec.name(), listener.boundEndpoint(), previous.candidate(), winner, connections(previous.openCount()));
            scheduleDrain(listener, previous);
        } else if (wasWaiting) {
            changeLog.info(key, "Listener {0} on {1}: handler {2} active again", spec.name(), listener.boundEndpoint(), winner);
        }
    }

    /**
     * Nothing asks for this endpoint any more: an invalid configuration claims it (close now), a configuration was
     * deleted (close with its drain) or its handler left (gap).
     */
    private void retire(String key, Listener listener, String claimant, Predicate<String> configured) {
        ListenerSpec spec = listener.spec();
        if (claimant != null) {
            closeListener(key, listener, Duration.ZERO);
            changeLog.info(key, "Listener {0} unbound {1}: listener {2} claims it, and its configuration is invalid",
                    spec.name(), listener.boundEndpoint(), claimant);
        } else if (spec.explicit() && !configured.test(spec.configPid())) {
            closeListener(key, listener, spec.drain().compareTo(shutdownGrace) < 0 ? spec.drain() : shutdownGrace);
            changeLog.info(key, "Listener {0} unbound {1}: its configuration was removed", spec.name(), listener.boundEndpoint());
        } else {
            gapOrClose(key, listener);
        }
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
        for (Listener l : listeners.values()) {
            closers.add(Thread.ofVirtual().start(() -> {
                try {
                    l.close(shutdownGrace);
                } catch (RuntimeException | Error failure) { // the line below is what an operator watches for: never skip it
                    LOG.log(Level.WARNING, "Listener {0}: closing it failed: {1}", l.spec().name(), String.valueOf(failure));
                }
                LOG.log(Level.INFO, "Listener {0} unbound {1}: host stopping", l.spec().name(), l.boundEndpoint());
            }));
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

    private static String connections(int n) {
        return n == 1 ? "1 connection" : n + " connections";
    }
}
