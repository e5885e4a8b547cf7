package io.portside.server.host.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;

import io.portside.handler.api.PortsideProperties;
import io.portside.handler.api.RequestPolicy;

/** The policy services the whiteboard tracks, and the chain each listener consults. */
final class PolicyRegistry {

    private final Map<ServiceReference<?>, RequestPolicy> policies = new ConcurrentHashMap<>();

    void put(ServiceReference<?> ref, RequestPolicy policy) {
        policies.put(ref, policy);
    }

    void remove(ServiceReference<?> ref) {
        policies.remove(ref);
    }

    /**
     * The policies a listener consults: those its {@code policy.target} filter matches, plus those it names in
     * {@code policy.required}, highest ranking first. A required one that is missing makes the chain reject
     * everything, so a listener never serves with a weaker chain than it asked for.
     */
    PolicyChain chainFor(ListenerSpec spec) {
        if (spec.policyFilter() == null && spec.requiredPolicies().isEmpty()) {
            return PolicyChain.NONE;
        }
        List<Map.Entry<ServiceReference<?>, RequestPolicy>> matching = new ArrayList<>();
        for (Map.Entry<ServiceReference<?>, RequestPolicy> e : policies.entrySet()) {
            boolean byFilter = spec.policyFilter() != null && spec.policyFilter().match(e.getKey());
            if (byFilter || spec.requiredPolicies().contains(policyName(e.getKey()))) {
                matching.add(e);
            }
        }
        matching.sort((a, b) -> b.getKey().compareTo(a.getKey())); // ServiceReference order: ranking, then service id
        List<PolicyChain.NamedPolicy> chain = matching.stream()
                .map(e -> new PolicyChain.NamedPolicy(policyName(e.getKey()), e.getValue())).toList();
        List<String> present = chain.stream().map(PolicyChain.NamedPolicy::name).toList();
        List<String> missing = spec.requiredPolicies().stream().filter(n -> !present.contains(n)).toList();
        return new PolicyChain(true, chain, missing);
    }

    /** The names of every policy service registered now. */
    Set<String> names() {
        Set<String> names = new HashSet<>();
        for (ServiceReference<?> ref : policies.keySet()) {
            names.add(policyName(ref));
        }
        return names;
    }

    private static String policyName(ServiceReference<?> ref) {
        Object name = ref.getProperty(PortsideProperties.POLICY);
        return name != null ? name.toString() : "policy-" + ref.getProperty(Constants.SERVICE_ID);
    }
}
