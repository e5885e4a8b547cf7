package io.portside.policy.support;

import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.function.Function;

import io.portside.handler.api.PolicyDecision;
import io.portside.handler.api.PolicyRequest;
import io.portside.handler.api.RequestPolicy;

/**
 * What every policy instance does with its configuration: parse it, install the result in place (so a listener never
 * sees a moment without the policy) and say so in one line; a configuration that does not parse is one ERROR line,
 * and the instance rejects every request until it is fixed, so listeners that require it fail closed.
 */
public final class ConfiguredPolicy implements RequestPolicy {

    /** A parsed configuration: the policy it makes, and how the "active" line reports it. */
    public record Active(RequestPolicy policy, Level level, String description) {
        public static Active info(RequestPolicy policy, Object description) {
            return new Active(policy, Level.INFO, String.valueOf(description));
        }
    }

    private final String type;
    private final System.Logger log;
    private volatile RequestPolicy current = request -> PolicyDecision.reject("not configured yet");

    public ConfiguredPolicy(String type, System.Logger log) {
        this.type = type;
        this.log = log;
    }

    /** Applies a configuration; {@code parse} throws {@link IllegalArgumentException} for one that is wrong. */
    public void configure(Map<String, Object> properties, Function<Map<String, Object>, Active> parse) {
        PolicyIdentity id = PolicyIdentity.of(type, properties);
        try {
            Active active = parse.apply(properties);
            current = active.policy();
            log.log(active.level(), "Policy {0} active: {1}{2}", id.describe(), active.description(), id.namingHint());
        } catch (IllegalArgumentException e) {
            String problem = "bad configuration in " + id.source() + ": " + e.getMessage();
            current = request -> PolicyDecision.reject(problem);
            log.log(Level.ERROR, "Policy {0} rejects every request until its configuration is fixed: {1}", id.describe(), e.getMessage());
        }
    }

    @Override
    public PolicyDecision verify(PolicyRequest request) {
        return current.verify(request);
    }
}
