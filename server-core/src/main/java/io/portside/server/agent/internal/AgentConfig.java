package io.portside.server.agent.internal;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.portside.handler.api.ConfigOption;

import io.portside.server.internal.HostComponentConfig;

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
        return new AgentConfig(HostComponentConfig.tcpAddress("endpoint", endpoint.trim()), new LinkedHashSet<>(LISTENERS.from(properties)),
                STOP_DRAIN.from(properties));
    }

    /** Keys the framework added, and the stop-hook property the agent's own component carries. */
    private static boolean addedByFramework(String key) {
        return HostComponentConfig.addedByFramework(key) || key.equals(HealthAgent.STOP_HOOK_PROPERTY);
    }
}
