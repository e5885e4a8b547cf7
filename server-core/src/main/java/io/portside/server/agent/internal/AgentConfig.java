package io.portside.server.agent.internal;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.portside.handler.api.ConfigOption;

/**
 * The health agent's configuration: singleton PID {@code io.portside.agent}, so a file
 * {@code deploy/io.portside.agent.cfg} turns the agent on. Without it there is no agent and a stop is not delayed.
 *
 * @param endpoint  where HAProxy's {@code agent-check} connects
 * @param required  names of the listeners the host must serve to be {@code up}; empty for every listener it has
 * @param stopDrain how long a stopping host reports {@code drain}, still serving, before its listeners close
 */
record AgentConfig(InetSocketAddress endpoint, Set<String> required, Duration stopDrain) {

    static final String PID = "io.portside.agent";

    /** tcp://HOST:PORT (required); loopback or the address HAProxy reaches the host on. */
    static final ConfigOption<String> ENDPOINT = ConfigOption.text("endpoint");
    /** Listener names that must serve; empty for all. */
    static final ConfigOption<List<String>> LISTENERS = ConfigOption.list("listeners");
    /** How long to report drain before the host stops; 0 for no wait. */
    static final ConfigOption<Duration> STOP_DRAIN = ConfigOption.duration("stop.drain", Duration.ofSeconds(5));

    private static final Set<String> KEYS = Set.of(ENDPOINT.key(), LISTENERS.key(), STOP_DRAIN.key());

    AgentConfig {
        required = Set.copyOf(required);
    }

    /**
     * Reads a configuration as ConfigAdmin delivers it (keys the framework adds are ignored).
     *
     * @throws IllegalArgumentException naming the key that is wrong, in the operator's words
     */
    static AgentConfig from(Map<String, ?> properties) {
        for (String key : properties.keySet()) {
            if (!KEYS.contains(key) && !addedByFramework(key)) {
                throw new IllegalArgumentException("unknown key '" + key + "' (known: endpoint, listeners, stop.drain)");
            }
        }
        String endpoint = ENDPOINT.from(properties);
        if (endpoint == null || endpoint.isBlank()) {
            throw new IllegalArgumentException("'endpoint' is required, e.g. endpoint=tcp://127.0.0.1:9100");
        }
        return new AgentConfig(tcpAddress(endpoint.trim()), new LinkedHashSet<>(LISTENERS.from(properties)), STOP_DRAIN.from(properties));
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
                || key.startsWith("osgi.") || key.equals(HealthAgent.STOP_HOOK_PROPERTY);
    }
}
