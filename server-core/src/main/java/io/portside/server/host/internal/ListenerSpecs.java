package io.portside.server.host.internal;

import static io.portside.server.host.internal.ListenerConfig.BACKLOG;
import static io.portside.server.host.internal.ListenerConfig.CONCURRENCY;
import static io.portside.server.host.internal.ListenerConfig.DRAIN_TIMEOUT;
import static io.portside.server.host.internal.ListenerConfig.ENDPOINT;
import static io.portside.server.host.internal.ListenerConfig.GAP_TIMEOUT;
import static io.portside.server.host.internal.ListenerConfig.HANDLER;
import static io.portside.server.host.internal.ListenerConfig.HANDLER_TARGET;
import static io.portside.server.host.internal.ListenerConfig.MAX_CONNECTIONS;
import static io.portside.server.host.internal.ListenerConfig.NAME;
import static io.portside.server.host.internal.ListenerConfig.POLICY_REQUIRED;
import static io.portside.server.host.internal.ListenerConfig.POLICY_TARGET;
import static io.portside.server.host.internal.ListenerConfig.REUSEPORT_SOCKETS;
import static io.portside.server.host.internal.ListenerConfig.TLS_CERTIFICATE;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;

import io.portside.handler.api.Concurrency;
import io.portside.handler.api.ConfigOption;
import io.portside.handler.api.ConfigValues;
import io.portside.handler.api.PortsideProperties;

/**
 * Builds {@link ListenerSpec}s from handler services (implicit) and from listener configurations (explicit). The keys,
 * defaults and value checks are {@link ListenerConfig}'s; what is here is how they combine.
 */
final class ListenerSpecs {

    private ListenerSpecs() {
    }

    /** The listener a handler asks for by declaring {@code endpoint} itself: every other setting at its default. */
    static ListenerSpec implicit(HandlerCandidate candidate, Endpoint endpoint) {
        ConcurrencySpec concurrency = ConcurrencySpec.DEFAULT_KNOBS.forKind(candidate.concurrency());
        return new ListenerSpec(candidate.name() + "-" + endpoint.transport().scheme(), endpoint, null, concurrency, null,
                List.of(), ListenerSpec.DEFAULT_BACKLOG, ListenerSpec.DEFAULT_DRAIN, ListenerSpec.DEFAULT_GAP, null, UnixSocketOptions.DEFAULT,
                null, // the connection limit is the winning handler's, settled with it (withHandlerMaxConnections)
                ConcurrencySpec.DEFAULT_KNOBS, TimeLimits.DEFAULT, ListenerTlsConfig.NONE, ListenerProxyConfig.NONE,
                ReusePortSockets.AUTOMATIC);
    }

    /**
     * The connection limit {@code candidate} declares ({@code portside.max.connections}), else the default.
     *
     * @throws IllegalArgumentException naming the property, for a value that is not a whole number of at least 0
     */
    static int handlerMaxConnections(HandlerCandidate candidate) {
        Object declared = candidate == null ? null : candidate.property(PortsideProperties.MAX_CONNECTIONS);
        return ConfigValues.isAbsent(declared) ? ListenerSpec.DEFAULT_MAX_CONNECTIONS
                : ConfigValues.integer(PortsideProperties.MAX_CONNECTIONS, declared, 0, Integer.MAX_VALUE);
    }

    /**
     * The listener a configuration asks for.
     *
     * @throws IllegalArgumentException with a message that says what is wrong with the configuration
     */
    static ListenerSpec explicit(String pid, Map<String, Object> props, Path home) {
        ListenerKeys.requireKnown(props);
        String name = nameOf(pid, props);
        Endpoint endpoint = endpoint(props, home);
        String handler = HANDLER.from(props);
        String target = HANDLER_TARGET.from(props);
        if (target.isEmpty() && handler.isEmpty()) {
            throw new IllegalArgumentException("'" + HANDLER + "' or '" + HANDLER_TARGET + "' is required");
        }
        Filter handlerFilter = filter(HANDLER_TARGET, target.isEmpty() ? "(" + PortsideProperties.HANDLER + "=" + handler + ")" : target);
        String policy = POLICY_TARGET.from(props);
        Filter policyFilter = policy.isEmpty() ? null : filter(POLICY_TARGET, policy);
        ConcurrencySpec knobs = ConcurrencySpec.knobs(props);
        ConcurrencySpec concurrency = concurrency(props, knobs);
        ListenerTlsConfig tls = ListenerTlsConfig.from(props, home, endpoint);
        if (tls.enabled() && concurrency != null && concurrency.kind() == Concurrency.FORKING) {
            // a worker process gets the connection's bare descriptor; a handler that asks for forking itself is refused per connection
            throw new IllegalArgumentException("'" + TLS_CERTIFICATE + "': TLS is not served with " + CONCURRENCY
                    + "=forking (a worker process gets the bare connection); choose virtual, threading or pool");
        }
        return new ListenerSpec(name, endpoint, handlerFilter, concurrency, policyFilter, POLICY_REQUIRED.from(props),
                BACKLOG.from(props), DRAIN_TIMEOUT.from(props), GAP_TIMEOUT.from(props), pid, UnixSocketOptions.parse(props, endpoint),
                MAX_CONNECTIONS.from(props, null), // null: the serving handler's default, settled with the handler
                knobs, TimeLimits.from(props), tls, ListenerProxyConfig.from(props, endpoint), REUSEPORT_SOCKETS.from(props));
    }

    /** {@code io.portside.listener~echo} (R7 named factory configuration, as FileInstall creates) becomes {@code echo}. */
    static String nameOf(String pid, Map<String, Object> props) {
        String explicitName = NAME.from(props);
        if (!explicitName.isEmpty()) {
            return explicitName;
        }
        int tilde = pid.indexOf('~');
        return tilde >= 0 ? pid.substring(tilde + 1) : pid;
    }

    private static Endpoint endpoint(Map<String, Object> props, Path home) {
        String text = ENDPOINT.from(props);
        if (text.isEmpty()) {
            throw new IllegalArgumentException("'" + ENDPOINT + "' is required (e.g. endpoint=tcp://127.0.0.1:9999)");
        }
        try {
            return Endpoint.parse(text, home);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + ENDPOINT + "': " + e.getMessage(), e);
        }
    }

    /**
     * The configured model, or null (no {@code concurrency}) for the serving handler's own choice, settled when a
     * handler is picked ({@link ListenerSpec#withHandlerConcurrency}) with the same knobs.
     */
    private static ConcurrencySpec concurrency(Map<String, Object> props, ConcurrencySpec knobs) {
        String kind = CONCURRENCY.from(props);
        if (kind.isEmpty()) {
            return null;
        }
        try {
            return knobs.forKind(kind);
        } catch (IllegalArgumentException e) {
            // A knob's message names its key already; the model's own (unknown kind, forking unavailable) does not.
            throw e.getMessage().startsWith("'") ? e : new IllegalArgumentException("'" + CONCURRENCY + "': " + e.getMessage(), e);
        }
    }

    private static Filter filter(ConfigOption<String> option, String text) {
        try {
            return FrameworkUtil.createFilter(text);
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException("'" + option + "' is not a valid filter: " + text + " (" + e.getMessage() + ")");
        }
    }
}
