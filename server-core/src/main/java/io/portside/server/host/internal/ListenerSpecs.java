package io.portside.server.host.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;

import io.portside.handler.api.PortsideProperties;

/** Builds {@link ListenerSpec}s from handler services (implicit) and from listener configurations (explicit). */
final class ListenerSpecs {

    private ListenerSpecs() {
    }

    /** The listener a handler asks for by declaring {@code endpoint} itself. */
    static ListenerSpec implicit(HandlerCandidate candidate, Endpoint endpoint) {
        ConcurrencySpec concurrency = ConcurrencySpec.of(candidate.concurrency(), ConcurrencySpec.DEFAULT_POOL_SIZE,
                ConcurrencySpec.DEFAULT_POOL_QUEUE);
        return new ListenerSpec(candidate.name() + "-" + endpoint.transport().scheme(), endpoint, null, concurrency, null,
                List.of(), ListenerSpec.DEFAULT_BACKLOG, ListenerSpec.DEFAULT_DRAIN, ListenerSpec.DEFAULT_GAP, null, UnixSocketOptions.DEFAULT);
    }

    /**
     * The listener a configuration asks for.
     *
     * @throws IllegalArgumentException with a message that says what is wrong with the configuration
     */
    static ListenerSpec explicit(String pid, Map<String, Object> props, Path home) {
        ListenerKeys.requireKnown(props);
        String name = nameOf(pid, props);
        String endpointText = string(props, "endpoint");
        if (endpointText.isEmpty()) {
            throw new IllegalArgumentException("'endpoint' is required (e.g. endpoint=tcp://127.0.0.1:9999)");
        }
        Endpoint endpoint;
        try {
            endpoint = Endpoint.parse(endpointText, home);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'endpoint': " + e.getMessage(), e);
        }
        String handler = string(props, "handler");
        String target = string(props, "handler.target");
        if (target.isEmpty() && handler.isEmpty()) {
            throw new IllegalArgumentException("'handler' or 'handler.target' is required");
        }
        Filter handlerFilter = filter(target.isEmpty() ? "(" + PortsideProperties.HANDLER + "=" + handler + ")" : target, "handler.target");
        String policy = string(props, "policy.target");
        Filter policyFilter = policy.isEmpty() ? null : filter(policy, "policy.target");
        List<String> requiredPolicies = Properties.strings(props.get("policy.required"));
        String concurrency = string(props, "concurrency");
        // Empty: the serving handler's own choice, settled when a handler is picked (ListenerSpec.withHandlerConcurrency).
        ConcurrencySpec model;
        try {
            model = concurrency.isEmpty() ? null : ConcurrencySpec.of(concurrency,
                    integer(props, "pool.size", ConcurrencySpec.DEFAULT_POOL_SIZE), integer(props, "pool.queue", ConcurrencySpec.DEFAULT_POOL_QUEUE),
                    ForkingSettings.of(props));
        } catch (IllegalArgumentException e) {
            throw e.getMessage().startsWith("'") ? e : new IllegalArgumentException("'concurrency': " + e.getMessage(), e);
        }
        int backlog = integer(props, "backlog", ListenerSpec.DEFAULT_BACKLOG);
        if (backlog < 1) {
            throw new IllegalArgumentException("backlog must be >= 1: " + backlog);
        }
        Duration drain = duration(props, "drain.timeout", ListenerSpec.DEFAULT_DRAIN);
        Duration gap = duration(props, "gap.timeout", ListenerSpec.DEFAULT_GAP);
        return new ListenerSpec(name, endpoint, handlerFilter, model, policyFilter, requiredPolicies, backlog, drain, gap, pid,
                UnixSocketOptions.parse(props, endpoint));
    }

    /** {@code io.portside.listener~echo} (R7 named factory configuration, as FileInstall creates) becomes {@code echo}. */
    static String nameOf(String pid, Map<String, Object> props) {
        Object explicitName = props.get("name");
        if (explicitName != null && !explicitName.toString().isBlank()) {
            return explicitName.toString().trim();
        }
        int tilde = pid.indexOf('~');
        return tilde >= 0 ? pid.substring(tilde + 1) : pid;
    }

    static String string(Map<String, Object> props, String key) {
        Object v = props.get(key);
        return v == null ? "" : v.toString().trim();
    }

    static int integer(Map<String, Object> props, String key, int defaultValue) {
        Object v = props.get(key);
        if (v == null || v.toString().isBlank()) {
            return defaultValue;
        }
        try {
            return v instanceof Number n ? n.intValue() : Integer.parseInt(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + key + "' is not a whole number: '" + v + "'");
        }
    }

    static Duration duration(Map<String, Object> props, String key, Duration defaultValue) {
        String v = string(props, key);
        return v.isEmpty() ? defaultValue : Properties.duration(v, "'" + key + "'");
    }

    private static Filter filter(String text, String key) {
        try {
            return FrameworkUtil.createFilter(text);
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException("'" + key + "' is not a valid filter: " + text + " (" + e.getMessage() + ")");
        }
    }
}
