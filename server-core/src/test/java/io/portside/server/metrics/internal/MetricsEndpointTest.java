package io.portside.server.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsEndpointTest {

    private static PrometheusRegistry registry() {
        PrometheusRegistry r = new PrometheusRegistry();
        r.register(new PortsideCollector(PortsideCollectorTest.source(List.of(PortsideCollectorTest.echo())), Map::of));
        return r;
    }

    @Test
    void servesPrometheusTextAndOpenMetricsWhenAsked() throws Exception {
        try (MetricsEndpoint endpoint = MetricsEndpoint.open(new InetSocketAddress("127.0.0.1", 0), registry());
                HttpClient client = HttpClient.newHttpClient()) {
            assertNotNull(endpoint);
            URI uri = URI.create("http://127.0.0.1:" + endpoint.address().getPort() + "/metrics");
            HttpResponse<String> text = client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, text.statusCode());
            assertTrue(text.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"), text.headers().toString());
            assertTrue(text.body().contains("portside_listener_connections_accepted_total{"), text.body());
            HttpResponse<String> om = client.send(HttpRequest.newBuilder(uri)
                    .header("Accept", "application/openmetrics-text; version=1.0.0").build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(om.headers().firstValue("Content-Type").orElse("").startsWith("application/openmetrics-text"));
            assertTrue(om.body().endsWith("# EOF\n"), om.body());
            HttpResponse<String> post = client.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString("x")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(405, post.statusCode());
        }
    }

    @Test
    void aPortInUseIsNoEndpointAndNoException() {
        try (MetricsEndpoint first = MetricsEndpoint.open(new InetSocketAddress("127.0.0.1", 0), registry())) {
            assertNotNull(first);
            assertNull(MetricsEndpoint.open(new InetSocketAddress("127.0.0.1", first.address().getPort()), registry()));
        }
    }

    @Test
    void configDefaultsToLoopback9464AndCanBeSwitchedOff() {
        MetricsConfig dflt = MetricsConfig.from(Map.of("service.pid", "io.portside.metrics"));
        assertTrue(dflt.enabled());
        assertEquals(new InetSocketAddress("127.0.0.1", 9464), dflt.endpoint());
        assertFalse(MetricsConfig.from(Map.of("enabled", "false")).enabled());
        assertEquals(new InetSocketAddress("::1", 9100), MetricsConfig.from(Map.of("endpoint", "tcp://[::1]:9100")).endpoint());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MetricsConfig.from(Map.of("enabled", "yes"))).getMessage()
                .contains("'enabled'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MetricsConfig.from(Map.of("port", "1"))).getMessage()
                .contains("unknown key 'port'"));
        assertThrows(IllegalArgumentException.class, () -> MetricsConfig.from(Map.of("endpoint", "http://127.0.0.1:9464")));
    }
}
