package io.portside.server.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PortsideCollectorTest {

    static ListenerSample echo() {
        LatencyBuckets d = new LatencyBuckets();
        d.record(200_000);      // 0.2 ms: first bucket
        d.record(3_000_000);    // 3 ms: the 0.005 bucket
        d.record(120_000_000_000L); // 2 min: above every bound
        Map<Refusal, Long> refusals = new EnumMap<>(Refusal.class);
        refusals.put(Refusal.POLICY, 4L);
        refusals.put(Refusal.PROXY_HEADER, 1L);
        return new ListenerSample("echo", "tcp://127.0.0.1:9999", "tcp", "virtual", "BOUND", "io.portside.sample.echo", "1.2.0", 2, 10,
                refusals, 3, 1, 5, 6, 7, 100, 200, d.snapshot(), 2, 1, 3, 8, 0, 0, 1_900_000_000L);
    }

    static String scrape(MetricsSource source, Map<DeployOutcome, Long> deploys, boolean openMetrics) throws IOException {
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(new PortsideCollector(source, () -> deploys));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ExpositionFormats f = ExpositionFormats.init();
        (openMetrics ? f.getOpenMetricsTextFormatWriter() : f.getPrometheusTextFormatWriter()).write(out, registry.scrape());
        return out.toString(StandardCharsets.UTF_8);
    }

    static MetricsSource source(List<ListenerSample> listeners) {
        return new MetricsSource() {
            @Override
            public List<ListenerSample> samples() {
                return listeners;
            }

            @Override
            public HostSample host() {
                return new HostSample(1024, 896, 3, 57);
            }
        };
    }

    @Test
    void mapsEveryCounterOfAListenerWithItsLabels() throws IOException {
        String text = scrape(source(List.of(echo())), Map.of(DeployOutcome.DEPLOYED, 2L), false);
        String labels = "concurrency=\"virtual\",listener=\"echo\",transport=\"tcp\"";
        for (String line : List.of("portside_listener_up{" + labels + "} 1.0", "portside_listener_failed{" + labels + "} 0.0",
                "portside_listener_connections_open{" + labels + "} 2.0",
                "portside_listener_connections_accepted_total{" + labels + "} 10.0",
                "portside_listener_refusals_total{concurrency=\"virtual\",listener=\"echo\",reason=\"policy\",transport=\"tcp\"} 4.0",
                "portside_listener_refusals_total{concurrency=\"virtual\",listener=\"echo\",reason=\"proxy_header\",transport=\"tcp\"} 1.0",
                "portside_listener_refusals_total{concurrency=\"virtual\",listener=\"echo\",reason=\"connection_limit\",transport=\"tcp\"} 0.0",
                "portside_listener_requests_handled_total{" + labels + "} 3.0", "portside_listener_errors_total{" + labels + "} 1.0",
                "portside_listener_timeouts_total{" + labels + "} 5.0", "portside_listener_overdue_total{" + labels + "} 6.0",
                "portside_listener_tls_handshake_failures_total{" + labels + "} 7.0",
                "portside_listener_received_bytes_total{" + labels + "} 100.0",
                "portside_listener_sent_bytes_total{" + labels + "} 200.0",
                "portside_listener_revision_info{bundle=\"io.portside.sample.echo\"," + labels + ",version=\"1.2.0\"} 1",
                "portside_listener_swaps_total{" + labels + "} 2.0", "portside_listener_drained_revisions_total{" + labels + "} 1.0",
                "portside_listener_drain_deadline_closes_total{" + labels + "} 3.0",
                "portside_listener_gap_waits_total{" + labels + "} 8.0",
                "portside_listener_tls_certificate_expiry_timestamp_seconds{" + labels + "} 1.9E9",
                "portside_deploys_total{outcome=\"deployed\"} 2.0", "portside_host_descriptors_limit 1024.0",
                "portside_host_descriptors_open 57.0", "portside_host_descriptor_budget_connections 896.0",
                "portside_host_descriptor_budget_used 3.0", "portside_host_forking_workers{state=\"busy\"} 0.0")) {
            assertTrue(text.lines().anyMatch(line::equals), "missing '" + line + "' in:\n" + text);
        }
        assertTrue(text.contains("portside_host_threads_live "), text);
    }

    @Test
    void histogramBucketsAreCumulativeWithTheSumInSeconds() throws IOException {
        String text = scrape(source(List.of(echo())), Map.of(), false);
        String labels = "concurrency=\"virtual\",listener=\"echo\",transport=\"tcp\"";
        assertTrue(text.contains("portside_listener_request_duration_seconds_bucket{" + labels + ",le=\"5.0E-4\"} 1\n"), text);
        assertTrue(text.contains("portside_listener_request_duration_seconds_bucket{" + labels + ",le=\"0.005\"} 2\n"), text);
        assertTrue(text.contains("portside_listener_request_duration_seconds_bucket{" + labels + ",le=\"60.0\"} 2\n"), text);
        assertTrue(text.contains("portside_listener_request_duration_seconds_bucket{" + labels + ",le=\"+Inf\"} 3\n"), text);
        assertTrue(text.contains("portside_listener_request_duration_seconds_count{" + labels + "} 3\n"), text);
        assertTrue(text.contains("portside_listener_request_duration_seconds_sum{" + labels + "} 120.0032\n"), text);
    }

    @Test
    void aFailedListenerIsDownWithoutARevisionOrCertificate() throws IOException {
        ListenerSample failed = ListenerSample.unbound("late", "tcp://127.0.0.1:1", "tcp", "threading", "FAILED");
        String text = scrape(source(List.of(failed)), Map.of(), false);
        String labels = "concurrency=\"threading\",listener=\"late\",transport=\"tcp\"";
        assertTrue(text.contains("portside_listener_failed{" + labels + "} 1.0"), text);
        assertTrue(text.contains("portside_listener_up{" + labels + "} 0.0"), text);
        assertFalse(text.contains("portside_listener_revision_info{"), text);
        assertFalse(text.contains("portside_listener_tls_certificate_expiry_timestamp_seconds{"), text);
    }

    @Test
    void openMetricsEndsWithEof() throws IOException {
        String text = scrape(source(List.of(echo())), Map.of(), true);
        assertTrue(text.endsWith("# EOF\n"), text);
        assertTrue(text.contains("# TYPE portside_listener_revision info"), text);
    }

    @Test
    void latencyQuantileIsABucketBound() {
        LatencyBuckets.Snapshot s = echo().durations();
        assertEquals(3, s.count());
        assertEquals(Double.POSITIVE_INFINITY, s.quantileBound(0.99));
        assertEquals(0.005, s.quantileBound(0.5));
        assertTrue(Double.isNaN(LatencyBuckets.Snapshot.EMPTY.quantileBound(0.99)));
    }
}
