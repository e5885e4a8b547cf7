package io.portside.server.metrics.internal;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The host's metrics for Prometheus, read at scrape time from a {@link MetricsSource}: the counters live where the work
 * is counted, and this class only maps them to client_java's snapshot model (its writers produce the text).
 */
final class PortsideCollector implements MultiCollector {

    private final MetricsSource source;
    private final Supplier<Map<DeployOutcome, Long>> deploys;

    PortsideCollector(MetricsSource source, Supplier<Map<DeployOutcome, Long>> deploys) {
        this.source = source;
        this.deploys = deploys;
    }

    @Override
    public MetricSnapshots collect() {
        List<ListenerSample> listeners = source.samples();
        List<MetricSnapshot> all = new ArrayList<>(ListenerFamilies.of(listeners));
        all.addAll(host(source.host(), listeners));
        return new MetricSnapshots(all);
    }

    private List<MetricSnapshot> host(HostSample h, List<ListenerSample> listeners) {
        List<MetricSnapshot> out = new ArrayList<>();
        CounterSnapshot.Builder d = CounterSnapshot.builder().name("portside_deploys").help("Jars in deploy/ handled, by outcome");
        deploys.get().forEach((outcome, n) -> d.dataPoint(
                CounterSnapshot.CounterDataPointSnapshot.builder().labels(Labels.of("outcome", outcome.label())).value(n).build()));
        out.add(d.build());
        out.add(gauge("portside_host_descriptors_open", "Descriptors the host process holds now (-1 if unknown)", h.descriptorsOpen()));
        out.add(gauge("portside_host_descriptors_limit", "The process's descriptor limit (RLIMIT_NOFILE; 0 if unknown)",
                h.descriptorLimit()));
        out.add(gauge("portside_host_descriptor_budget_connections", "Stream connections all listeners may hold together",
                h.descriptorBudget()));
        out.add(gauge("portside_host_descriptor_budget_used", "Stream connections holding a part of the descriptor budget now",
                h.descriptorConnections()));
        out.add(gauge("portside_host_threads_live", "Live JVM threads (platform threads; virtual ones are not counted)",
                ManagementFactory.getThreadMXBean().getThreadCount()));
        GaugeSnapshot.Builder w = GaugeSnapshot.builder().name("portside_host_forking_workers")
                .help("Worker processes of forking listeners, by state");
        w.dataPoint(point(Labels.of("state", "busy"), listeners.stream().mapToLong(ListenerSample::busyWorkers).sum()));
        w.dataPoint(point(Labels.of("state", "idle"), listeners.stream().mapToLong(ListenerSample::idleWorkers).sum()));
        out.add(w.build());
        return out;
    }

    private static GaugeSnapshot gauge(String name, String help, double value) {
        return GaugeSnapshot.builder().name(name).help(help).dataPoint(point(Labels.EMPTY, value)).build();
    }

    private static GaugeSnapshot.GaugeDataPointSnapshot point(Labels labels, double value) {
        return GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels).value(value).build();
    }
}
