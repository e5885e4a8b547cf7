package io.portside.server.metrics.internal;

import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The per-listener metric families, built from {@link ListenerSample}s with client_java's snapshot model: every
 * listener's data points carry the labels {@code listener}, {@code transport} and {@code concurrency}.
 */
final class ListenerFamilies {

    private final List<ListenerSample> listeners;
    private final List<MetricSnapshot> out = new ArrayList<>();

    private ListenerFamilies(List<ListenerSample> listeners) {
        this.listeners = listeners;
    }

    static List<MetricSnapshot> of(List<ListenerSample> listeners) {
        ListenerFamilies f = new ListenerFamilies(listeners);
        f.states();
        f.traffic();
        f.revisions();
        f.durations();
        f.certificates();
        return f.out;
    }

    static Labels labels(ListenerSample l) {
        return Labels.of("listener", l.name(), "transport", l.transport(), "concurrency", l.concurrency());
    }

    private void states() {
        gauge("portside_listener_up", "1 while the listener's socket is open and a handler serves it, else 0",
                l -> "BOUND".equals(l.state()) ? 1 : 0);
        gauge("portside_listener_failed", "1 while the listener does not serve for a reason shown by portside:list, else 0",
                l -> "FAILED".equals(l.state()) ? 1 : 0);
        gauge("portside_listener_connections_open", "Requests running now, over all revisions", ListenerSample::open);
    }

    private void traffic() {
        counter("portside_listener_connections_accepted", "Connections and datagrams taken since the listener was bound",
                ListenerSample::accepted);
        CounterSnapshot.Builder refusals = CounterSnapshot.builder().name("portside_listener_refusals")
                .help("Connections and datagrams refused before their handler, by reason");
        for (ListenerSample l : listeners) {
            l.refusals().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> refusals.dataPoint(
                    CounterSnapshot.CounterDataPointSnapshot.builder().labels(labels(l).add("reason", e.getKey().label()))
                            .value(e.getValue()).build()));
        }
        out.add(refusals.build());
        counter("portside_listener_requests_handled", "Requests whose handler ran to its end, failed or not", ListenerSample::handled);
        counter("portside_listener_errors", "Handler failures, failures before the handler ran, and no handler within the gap",
                ListenerSample::errors);
        counter("portside_listener_timeouts", "Connections closed at a client time limit (idle, first byte, write)",
                ListenerSample::timedOut);
        counter("portside_listener_overdue", "Requests the watchdog closed at request.deadline", ListenerSample::overdue);
        counter("portside_listener_tls_handshake_failures", "Connections closed because their TLS handshake failed",
                ListenerSample::tlsFailures);
        counter("portside_listener_received_bytes", Unit.BYTES, "Bytes received by requests that have ended (datagrams included)",
                ListenerSample::bytesIn);
        counter("portside_listener_sent_bytes", Unit.BYTES, "Bytes sent by requests that have ended (datagram replies included)",
                ListenerSample::bytesOut);
    }

    private void revisions() {
        InfoSnapshot.Builder info = InfoSnapshot.builder().name("portside_listener_revision")
                .help("The handler revision serving the listener now: its bundle and version");
        for (ListenerSample l : listeners) {
            if (l.bundle() != null) {
                info.dataPoint(InfoSnapshot.InfoDataPointSnapshot.builder()
                        .labels(labels(l).add("bundle", l.bundle()).add("version", l.version())).build());
            }
        }
        out.add(info.build());
        counter("portside_listener_swaps", "Handler revisions activated on the listener, the first included", ListenerSample::swaps);
        counter("portside_listener_drained_revisions", "Replaced revisions whose requests all finished before the drain deadline",
                ListenerSample::drainedRevisions);
        counter("portside_listener_drain_deadline_closes", "Requests of replaced revisions closed at the drain deadline or the close",
                ListenerSample::drainCloses);
        counter("portside_listener_gap_waits", "Connections that waited in a gap (no handler active) for a revision",
                ListenerSample::gapWaits);
    }

    private void durations() {
        double[] bounds = Arrays.copyOf(LatencyBuckets.BOUNDS, LatencyBuckets.BOUNDS.length + 1);
        bounds[bounds.length - 1] = Double.POSITIVE_INFINITY;
        HistogramSnapshot.Builder h = HistogramSnapshot.builder().name("portside_listener_request_duration_seconds").unit(Unit.SECONDS)
                .help("How long handlers ran, from setup to the end of finish");
        for (ListenerSample l : listeners) {
            LatencyBuckets.Snapshot d = l.durations();
            h.dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder().labels(labels(l))
                    .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, d.counts())).sum(d.sumSeconds()).build());
        }
        out.add(h.build());
    }

    private void certificates() {
        GaugeSnapshot.Builder g = GaugeSnapshot.builder().name("portside_listener_tls_certificate_expiry_timestamp_seconds")
                .unit(Unit.SECONDS).help("When the first of the listener's served TLS certificates expires (notAfter), in Unix time");
        for (ListenerSample l : listeners) {
            if (l.certificateExpiry() > 0) {
                g.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels(l)).value(l.certificateExpiry()).build());
            }
        }
        out.add(g.build());
    }

    private void counter(String name, String help, ToDoubleFunction<ListenerSample> value) {
        counter(name, null, help, value);
    }

    private void counter(String name, Unit unit, String help, ToDoubleFunction<ListenerSample> value) {
        CounterSnapshot.Builder c = CounterSnapshot.builder().name(name).help(help);
        if (unit != null) {
            c.unit(unit);
        }
        for (ListenerSample l : listeners) {
            c.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(labels(l)).value(value.applyAsDouble(l)).build());
        }
        out.add(c.build());
    }

    private void gauge(String name, String help, ToDoubleFunction<ListenerSample> value) {
        GaugeSnapshot.Builder g = GaugeSnapshot.builder().name(name).help(help);
        for (ListenerSample l : listeners) {
            g.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels(l)).value(value.applyAsDouble(l)).build());
        }
        out.add(g.build());
    }
}
