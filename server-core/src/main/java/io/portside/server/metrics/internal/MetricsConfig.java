package io.portside.server.metrics.internal;

import io.portside.handler.api.ConfigOption;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.Set;

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

    static final MetricsConfig DEFAULT = new MetricsConfig(true, tcpAddress(DEFAULT_ENDPOINT));

    /**
     * Reads a configuration as ConfigAdmin delivers it (keys the framework adds are ignored).
     *
     * @throws IllegalArgumentException naming the key that is wrong, in the operator's words
     */
    static MetricsConfig from(Map<String, ?> properties) {
        for (String key : properties.keySet()) {
            if (!KEYS.contains(key) && !addedByFramework(key)) {
                throw new IllegalArgumentException("unknown key '" + key + "' (known: enabled, endpoint)");
            }
        }
        String enabled = ENABLED.from(properties);
        boolean on = enabled == null || enabled.isBlank() || bool(enabled.trim());
        String endpoint = ENDPOINT.from(properties);
        return new MetricsConfig(on, tcpAddress(endpoint == null || endpoint.isBlank() ? DEFAULT_ENDPOINT : endpoint.trim()));
    }

    private static boolean bool(String text) {
        return switch (text) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("'enabled' must be true or false: '" + text + "'");
        };
    }

    /** {@code tcp://HOST:PORT}, with an IPv6 address in brackets; the port may be 0 (any free port, for tests). */
    static InetSocketAddress tcpAddress(String text) {
        try {
            URI uri = new URI(text);
            if (!"tcp".equals(uri.getScheme()) || uri.getHost() == null || uri.getPort() < 0
                    || uri.getRawPath() != null && !uri.getRawPath().isEmpty() || uri.getRawQuery() != null) {
                throw new IllegalArgumentException("'endpoint' must be tcp://HOST:PORT: '" + text + "'");
            }
            String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
            return new InetSocketAddress(host, uri.getPort());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'endpoint' must be tcp://HOST:PORT: '" + text + "'", e);
        }
    }

    /** Keys ConfigAdmin, FileInstall and SCR add (SCR passes the component's own properties along with the file's). */
    private static boolean addedByFramework(String key) {
        return key.startsWith("service.") || key.startsWith("felix.fileinstall.") || key.startsWith("component.")
                || key.startsWith("osgi.");
    }
}
