package io.portside.server.host.internal;

import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import io.portside.handler.api.DatagramHandlerFactory;
import io.portside.handler.api.PortsideProperties;
import io.portside.handler.api.RequestHandlerFactory;
import io.portside.handler.api.RequestPolicy;
import io.portside.handler.api.StreamHandlerFactory;
import io.portside.server.runtime.ListenerView;
import io.portside.server.runtime.SocketServerRuntime;

/**
 * The whiteboard: tracks handler services, policy services and listener configurations, and keeps one
 * {@link Listener} per endpoint in step with them. All changes funnel into {@link #reconcile()}, which runs on
 * one thread, so listener state never races. References are dynamic and greedy: a new handler, a swap or a
 * removed policy is a rebind, never a restart of this component (anchors, design rule 1).
 */
@Component(name = "io.portside.whiteboard", immediate = true, service = {SocketServerRuntime.class, ListenerRegistry.class})
public final class Whiteboard implements SocketServerRuntime, ListenerRegistry {

    private static final System.Logger LOG = System.getLogger("io.portside.host");

    private final Path home;
    private final DesiredListeners planner;
    private final Duration shutdownGrace;
    private final Bundle systemBundle;
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "portside-whiteboard");
        t.setDaemon(true);
        return t;
    });
    private final Map<ServiceReference<?>, HandlerCandidate> handlers = new ConcurrentHashMap<>();
    private final PolicyRegistry policies = new PolicyRegistry();
    private final Map<String, Map<String, Object>> configurations = new ConcurrentHashMap<>();
    // Written only on the loop thread; read by listeners() from any thread.
    private final Map<String, Listener> listeners = new ConcurrentHashMap<>();
    private final Map<String, ListenerView> failed = new ConcurrentHashMap<>();
    private final ChangeLog changeLog = new ChangeLog();
    /** Listeners serving a last good configuration because their file is invalid now: why. */
    private final Map<String, String> configProblems = new ConcurrentHashMap<>();
    private final AtomicLong changes = new AtomicLong();
    private final BindRetries bindRetries = new BindRetries();
    private volatile ConfigurationAdmin configAdmin;
    private volatile ServiceComponentRuntime scr;
    private final BundleContext context;
    private final org.osgi.framework.ServiceListener registrations = event -> {
        if (event.getType() == org.osgi.framework.ServiceEvent.REGISTERED) {
            // A component that fails to activate never reaches addStreamHandler: look for it once SCR has tried.
            scheduleReconcile(300);
        }
    };
    private StartupSettling settling; // until deploy/'s configurations are applied at start; then null
    private boolean settleCheckScheduled;
    private volatile boolean stopped;

    @Activate
    public Whiteboard(BundleContext context) {
        String h = context.getProperty("portside.home");
        this.home = Path.of(h == null ? "." : h).toAbsolutePath().normalize();
        this.systemBundle = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION);
        this.planner = new DesiredListeners(home);
        String grace = context.getProperty("portside.shutdown.grace");
        this.shutdownGrace = grace == null ? Duration.ofSeconds(5) : Properties.duration(grace, "portside.shutdown.grace");
        this.context = context;
        try {
            context.addServiceListener(registrations, "(|(objectClass=" + StreamHandlerFactory.class.getName() + ")(objectClass="
                    + DatagramHandlerFactory.class.getName() + ")(objectClass=" + RequestPolicy.class.getName() + "))");
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        String deploy = context.getProperty("felix.fileinstall.dir");
        this.settling = new StartupSettling(new DeployedConfigs(deploy == null ? home.resolve("deploy") : Path.of(deploy)), System.nanoTime());
        LOG.log(Level.DEBUG, "Whiteboard activated, home {0}", home);
        reconcileSoon();
    }

    @Deactivate
    void deactivate() {
        stopped = true;
        context.removeServiceListener(registrations);
        try {
            loop.submit(this::closeAll).get(shutdownGrace.toMillis() + 5000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.log(Level.WARNING, "Closing listeners did not finish cleanly: {0}", String.valueOf(e));
        }
        loop.shutdownNow();
    }

    // ------------------------------------------------------------------ tracked services

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addStreamHandler(StreamHandlerFactory factory, ServiceReference<StreamHandlerFactory> ref) {
        track(ref, factory, true);
    }

    void updatedStreamHandler(StreamHandlerFactory factory, ServiceReference<StreamHandlerFactory> ref) {
        track(ref, factory, true);
    }

    void removeStreamHandler(ServiceReference<StreamHandlerFactory> ref) {
        untrack(ref);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addDatagramHandler(DatagramHandlerFactory factory, ServiceReference<DatagramHandlerFactory> ref) {
        track(ref, factory, false);
    }

    void updatedDatagramHandler(DatagramHandlerFactory factory, ServiceReference<DatagramHandlerFactory> ref) {
        track(ref, factory, false);
    }

    void removeDatagramHandler(ServiceReference<DatagramHandlerFactory> ref) {
        untrack(ref);
    }

    private void track(ServiceReference<?> ref, RequestHandlerFactory<?> factory, boolean stream) {
        handlers.put(ref, new HandlerCandidate(ref, factory, stream, home));
        reconcileSoon();
    }

    private void untrack(ServiceReference<?> ref) {
        handlers.remove(ref);
        reconcileSoon();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addPolicy(RequestPolicy policy, ServiceReference<RequestPolicy> ref) {
        policies.put(ref, policy);
        reconcileSoon();
    }

    void updatedPolicy(RequestPolicy policy, ServiceReference<RequestPolicy> ref) {
        addPolicy(policy, ref);
    }

    void removePolicy(ServiceReference<RequestPolicy> ref) {
        policies.remove(ref);
        reconcileSoon();
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void setConfigAdmin(ConfigurationAdmin admin) {
        configAdmin = admin;
        reconcileSoon();
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void setScr(ServiceComponentRuntime runtime) {
        scr = runtime;
    }

    void unsetScr(ServiceComponentRuntime runtime) {
        if (scr == runtime) {
            scr = null;
        }
    }

    private void scheduleReconcile(long millis) {
        if (!stopped && !frameworkStopping()) {
            loop.schedule(this::reconcileSafely, millis, TimeUnit.MILLISECONDS);
        }
    }

    void unsetConfigAdmin(ConfigurationAdmin admin) {
        if (configAdmin == admin) {
            configAdmin = null;
        }
    }

    @Override
    public void configure(String pid, Map<String, Object> properties) {
        configurations.put(pid, Map.copyOf(withoutNulls(properties)));
        reconcileSoon();
    }

    @Override
    public void unconfigure(String pid) {
        configurations.remove(pid);
        reconcileSoon();
    }

    // ------------------------------------------------------------------ runtime view

    @Override
    public List<ListenerView> listeners() {
        List<ListenerView> views = new ArrayList<>();
        for (Listener l : listeners.values()) {
            views.add(l.view(configProblems.get(l.spec().name())));
        }
        views.addAll(failed.values());
        views.sort(Comparator.comparing(ListenerView::endpoint).thenComparing(ListenerView::name));
        return views;
    }

    @Override
    public long changeCount() {
        return changes.get();
    }

    // ------------------------------------------------------------------ reconciliation (loop thread only)

    private void reconcileSoon() {
        if (!stopped && !frameworkStopping()) {
            loop.execute(this::reconcileSafely);
        }
    }

    /**
     * While the framework shuts down, handler bundles and configurations go away before this component does:
     * those departures are not changes to react to (no gap, no "configuration removed"); {@link #deactivate()}
     * closes every listener with its grace period.
     */
    private boolean frameworkStopping() {
        return systemBundle != null && systemBundle.getState() == Bundle.STOPPING;
    }

    private void reconcileSafely() {
        try {
            reconcile();
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "Reconciling listeners failed", e);
        }
    }

    private void reconcile() {
        if (stopped) {
            return;
        }
        List<HandlerCandidate> candidates = new ArrayList<>(handlers.values());
        candidates.sort(HandlerCandidate.WINNER_FIRST);
        DesiredListeners.Plan plan = planner.plan(configurations, candidates, holdingForDeploy(candidates));
        Map<String, ListenerSpec> desired = plan.desired();
        Map<String, ListenerView> failures = plan.failures();
        configProblems.clear();
        configProblems.putAll(plan.configProblems());

        for (String key : new TreeSet<>(union(listeners.keySet(), desired.keySet()))) {
            ListenerSpec spec = desired.get(key);
            Listener listener = listeners.get(key);
            if (spec == null) {
                bindRetries.forget(key);
                if (listener != null) {
                    retireUnwanted(key, listener);
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
                    bindNew(key, settled, chain, shadowed, winner, failures);
                } else if (settled.explicit()) {
                    failures.putIfAbsent(settled.name(), UnboundViews.waiting(settled, "no handler matches " + settled.handlerFilter()));
                }
                continue;
            }
            List<String> policyGap = listener.update(settled, chain, shadowed, policies.names());
            if (!policyGap.isEmpty()) {
                changeLog.info(key, "Listener {0} on {1}: policies {2} gone; new requests wait up to {3} ms for their replacement",
                        settled.name(), listener.boundEndpoint(), policyGap, settled.gap().toMillis());
                loop.schedule(this::reconcileSafely, settled.gap().toMillis() + 10, TimeUnit.MILLISECONDS);
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

    /**
     * True while the configurations of deploy/ at start are not all applied (see {@link StartupSettling}): handlers'
     * own endpoints wait, checked again every 100 ms.
     */
    private boolean holdingForDeploy(List<HandlerCandidate> candidates) {
        if (settling == null) {
            return false;
        }
        if (!settling.holding(configAdmin, configurations.values(), candidates)) {
            settling = null;
            return false;
        }
        if (!settleCheckScheduled) {
            settleCheckScheduled = true;
            loop.schedule(() -> {
                settleCheckScheduled = false;
                reconcileSafely();
            }, 100, TimeUnit.MILLISECONDS);
        }
        return true;
    }

    private void bindNew(String key, ListenerSpec spec, PolicyChain chain, List<HandlerCandidate> shadowed, HandlerCandidate winner,
            Map<String, ListenerView> failures) {
        Listener listener = new Listener(spec);
        listener.update(spec, chain, shadowed, policies.names());
        try {
            listener.bind();
        } catch (Exception e) {
            BindFailure kind = BindFailure.of(e);
            String retry = "";
            if (kind.retryable()) {
                Duration delay = bindRetries.failed(key, System.nanoTime());
                loop.schedule(this::reconcileSafely, delay.toMillis(), TimeUnit.MILLISECONDS);
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
    private void retireUnwanted(String key, Listener listener) {
        if (listener.spec().explicit() && !configurations.containsKey(listener.spec().configPid())) {
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
            loop.schedule(this::reconcileSafely, listener.spec().gap().toMillis() + 10, TimeUnit.MILLISECONDS);
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

    private void closeAll() {
        List<Thread> closers = new ArrayList<>();
        for (Map.Entry<String, Listener> e : listeners.entrySet()) {
            Listener l = e.getValue();
            Thread t = Thread.ofVirtual().start(() -> {
                l.close(shutdownGrace);
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

    private static Map<String, Object> withoutNulls(Map<String, Object> properties) {
        Map<String, Object> copy = new HashMap<>();
        properties.forEach((k, v) -> {
            if (k != null && v != null) {
                copy.put(k, v);
            }
        });
        return copy;
    }

    @Override
    public String toString() {
        return "Whiteboard[" + Objects.toString(home) + ", " + listeners.size() + " listeners]";
    }
}
