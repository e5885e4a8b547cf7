package io.portside.server.metrics.internal;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * The host's metrics: the Prometheus endpoint (on by default, loopback; {@code deploy/io.portside.metrics.cfg}, keys in
 * {@link MetricsConfig}) and the listeners' MBeans (always). A changed configuration restarts this component, so the
 * endpoint moves without a host restart. An endpoint that cannot bind is one log line; the host serves on without it.
 */
@Component(name = MetricsConfig.PID, configurationPid = MetricsConfig.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        immediate = true, service = {})
public final class MetricsComponent {

    /** How often the MBeans catch up with listeners that came or went. */
    static final long BEAN_SYNC_MILLIS = 1000;
    private static final System.Logger LOG = System.getLogger("io.portside.metrics");

    private final MetricsEndpoint endpoint;
    private final ListenerBeans beans;
    private final ScheduledExecutorService sync = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "portside-metrics-beans");
        t.setDaemon(true);
        return t;
    });

    @Activate
    public MetricsComponent(@Reference MetricsSource source, BundleContext context, Map<String, Object> properties) {
        MetricsConfig config = configOf(properties);
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(new PortsideCollector(source, DeployOutcome.Counts::now));
        if (config == null) {
            config = new MetricsConfig(false, MetricsConfig.DEFAULT.endpoint()); // said why in configOf
        } else if (config.enabled() && !properties.containsKey("service.pid")
                && Files.exists(deployFolder(context).resolve(MetricsConfig.PID + ".cfg"))) {
            // deploy/ has a configuration that ConfigAdmin has not delivered yet: it restarts this component when it does;
            // binding the default meanwhile could take a port the file moves away from, or serve what it switches off
            LOG.log(Level.DEBUG, "Metrics endpoint waits for deploy/io.portside.metrics.cfg");
            config = new MetricsConfig(false, config.endpoint());
        } else if (!config.enabled()) {
            LOG.log(Level.INFO, "Metrics endpoint off (io.portside.metrics.cfg: enabled=false); the MBeans stay");
        }
        this.endpoint = config.enabled() ? MetricsEndpoint.open(config.endpoint(), registry) : null;
        this.beans = new ListenerBeans(source);
        sync.scheduleWithFixedDelay(this::syncBeans, 0, BEAN_SYNC_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * The configuration, or null (logged) when it is invalid: then nothing is served (fail closed), rather than an endpoint
     * the operator did not ask for.
     */
    private static MetricsConfig configOf(Map<String, Object> properties) {
        try {
            return MetricsConfig.from(properties);
        } catch (IllegalArgumentException e) {
            LOG.log(Level.WARNING, "Metrics endpoint not served: io.portside.metrics.cfg is invalid: {0}; the MBeans stay", e.getMessage());
            return null;
        }
    }

    /** The folder FileInstall watches: {@code felix.fileinstall.dir}, else {@code <portside.home>/deploy}. */
    private static Path deployFolder(BundleContext context) {
        String dir = context.getProperty("felix.fileinstall.dir");
        String home = context.getProperty("portside.home");
        return dir != null ? Path.of(dir) : Path.of(home == null ? "." : home).resolve("deploy");
    }

    private void syncBeans() {
        try {
            beans.sync();
        } catch (RuntimeException e) { // the schedule must go on
            LOG.log(Level.DEBUG, "Metrics: MBean sync failed: {0}", String.valueOf(e));
        }
    }

    @Deactivate
    void deactivate() {
        sync.shutdownNow();
        try {
            sync.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        beans.close();
        if (endpoint != null) {
            endpoint.close();
        }
    }
}
