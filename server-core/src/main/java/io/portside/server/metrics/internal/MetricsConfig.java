package io.portside.server.metrics.internal;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Set;

import io.portside.handler.api.ConfigOption;
import io.portside.server.internal.HostComponentConfig;

/**
 * The metrics endpoint's configuration: PID {@code io.portside.metrics}, from {@code deploy/io.portside.metrics.cfg}.
 * Without the file the endpoint is on at {@value #DEFAULT_ENDPOINT}, loopback only: whoever may reach it may read
 * every listener's name and traffic, so serving it further is a choice the operator writes down.
 *
 * @param enabled  false: no HTTP endpoint (the MBeans stay)
 * @param endpoint where Prometheus scrapes {@code /metrics}
 */
record MetricsConfig(boolean enabled, InetSocketAddress endpoint) {

    static final String PID = "io.portside.metrics";
    static final String DEFAULT_ENDPOINT = "tcp://127.0.0.1:9464";
    static final ConfigOption<String> ENABLED = ConfigOption.text("enabled");
    static final ConfigOption<String> ENDPOINT = ConfigOption.text("endpoint");
    private static final Set<String> KEYS = Set.of(ENABLED.key(), ENDPOINT.key());

    static final MetricsConfig DEFAULT = new MetricsConfig(true, HostComponentConfig.tcpAddress("endpoint", DEFAULT_ENDPOINT));

    /**
     * Reads a configuration as ConfigAdmin delivers it (keys the framework adds are ignored).
     *
     * @throws IllegalArgumentException naming the key that is wrong, in the operator's words
     */
    static MetricsConfig from(Map<String, ?> properties) {
        for (String key : properties.keySet()) {
            if (!KEYS.contains(key) && !HostComponentConfig.addedByFramework(key)) {
                throw new IllegalArgumentException("unknown key '" + key + "' (known: enabled, endpoint)");
            }
        }
        String enabled = ENABLED.from(properties);
        boolean on = enabled == null || enabled.isBlank() || bool(enabled.trim());
        String endpoint = ENDPOINT.from(properties);
        String text = endpoint == null || endpoint.isBlank() ? DEFAULT_ENDPOINT : endpoint.trim();
        return new MetricsConfig(on, HostComponentConfig.tcpAddress("endpoint", text));
    }

    private static boolean bool(String text) {
        return switch (text) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("'enabled' must be true or false: '" + text + "'");
        };
    }

}
