package io.portside.server.host.internal;

import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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

import io.portside.handler.api.ConfigValues;
import io.portside.handler.api.DatagramHandlerFactory;
import io.portside.handler.api.RequestPolicy;
import io.portside.handler.api.StreamHandlerFactory;
import io.portside.handler.api.StreamProtocolFactory;
import io.portside.server.metrics.internal.HostSample;
import io.portside.server.metrics.internal.ListenerSample;
import io.portside.server.metrics.internal.MetricsSource;
import io.portside.server.runtime.ListenerView;
import io.portside.server.runtime.SocketServerRuntime;

/**
 * The whiteboard: tracks handler services, policy services and listener configurations, and keeps one
 * {@link Listener} per endpoint in step with them. All changes funnel into {@link #reconcile()}, which runs on
 * one thread, so listener state never races: it freezes what is tracked into a {@link WhiteboardSnapshot}, has
 * {@link DesiredListeners} plan from it, and lets the {@link ListenerApplier} make the plan so. References are dynamic and greedy: a new handler, a swap or a
 * removed policy is a rebind, never a restart of this component (anchors, design rule 1).
 */
@Component(name = "io.portside.whiteboard", immediate = true, service = {SocketServerRuntime.class, ListenerRegistry.class,
        MetricsSource.class})
public final class Whiteboard implements SocketServerRuntime, ListenerRegistry, MetricsSource {

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
    private final ListenerApplier applier;
    private final DescriptorBudget descriptors;
    /** By PID, the last valid spec of each listener configuration: kept while its file is invalid (loop thread only). */
    private Map<String, ListenerSpec> lastGood = Map.of();
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
        this.shutdownGrace = grace == null ? Duration.ofSeconds(5) : ConfigValues.duration("portside.shutdown.grace", grace);
        this.descriptors = DescriptorBudget.forProcess(context.getProperty(DescriptorBudget.RESERVE_PROPERTY));
        this.applier = new ListenerApplier(loop, this::reconcileSafely, shutdownGrace, descriptors);
        this.context = context;
        try {
            context.addServiceListener(registrations, "(|(objectClass=" + StreamHandlerFactory.class.getName() + ")(objectClass="
                    + StreamProtocolFactory.class.getName() + ")(objectClass=" + DatagramHandlerFactory.class.getName()
                    + ")(objectClass=" + RequestPolicy.class.getName() + "))");
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        this.settling = new StartupSettling(DeployedConfigs.forHost(context), System.nanoTime());
        LOG.log(Level.DEBUG, "Whiteboard activated, home {0}", home);
        reconcileSoon();
    }

    @Deactivate
    void deactivate() {
        stopped = true;
        context.removeServiceListener(registrations);
        try {
            loop.submit(applier::closeAll).get(shutdownGrace.toMillis() + 5000, TimeUnit.MILLISECONDS);
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
    void addStreamProtocol(StreamProtocolFactory factory, ServiceReference<StreamProtocolFactory> ref) {
        track(ref, factory, true);
    }

    void updatedStreamProtocol(StreamProtocolFactory factory, ServiceReference<StreamProtocolFactory> ref) {
        track(ref, factory, true);
    }

    void removeStreamProtocol(ServiceReference<StreamProtocolFactory> ref) {
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

    private void track(ServiceReference<?> ref, Object factory, boolean stream) {
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

    void unsetConfigAdmin(ConfigurationAdmin admin) {
        if (configAdmin == admin) {
            configAdmin = null;
        }
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
        return applier.views();
    }

    @Override
    public long changeCount() {
        return applier.changeCount();
    }

    @Override
    public List<ListenerSample> samples() {
        return applier.samples();
    }

    @Override
    public HostSample host() {
        return MetricsFeed.host(descriptors.figures());
    }

    /** The host's descriptor budget now, for {@code portside:json}. */
    DescriptorBudget.Figures descriptors() {
        return descriptors.figures();
    }

    // ------------------------------------------------------------------ reconciliation (loop thread only)

    private void reconcileSoon() {
        scheduleReconcile(0);
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

    /** One pass: a snapshot of what is tracked, the plan made of it, and the applier making it so. */
    private void reconcile() {
        if (stopped) {
            return;
        }
        List<HandlerCandidate> candidates = new ArrayList<>(handlers.values());
        WhiteboardSnapshot snapshot = new WhiteboardSnapshot(candidates, policies.snapshot(), configurations, lastGood,
                applier.runningConcurrency(), holdingForDeploy(candidates));
        ListenerPlan plan = planner.plan(snapshot);
        lastGood = plan.lastGood();
        applier.apply(plan, configurations::containsKey, scr);
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
        return "Whiteboard[" + Objects.toString(home) + "]";
    }
}
