package io.portside.server.host.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.ServiceReference;

import io.portside.handler.api.RequestPolicy;

/** The policy services the whiteboard tracks; {@link #snapshot()} is what the plan sees of them. */
final class PolicyRegistry {

    private final Map<ServiceReference<?>, PolicyCandidate> policies = new ConcurrentHashMap<>();

    void put(ServiceReference<?> ref, RequestPolicy policy) {
        policies.put(ref, PolicyCandidate.of(ref, policy));
    }

    void remove(ServiceReference<?> ref) {
        policies.remove(ref);
    }

    /** Every policy registered now. */
    List<PolicyCandidate> snapshot() {
        return List.copyOf(policies.values());
    }
}
