package io.portside.server.host.internal;

import java.util.Comparator;
import java.util.Map;

import org.osgi.framework.Constants;
import org.osgi.framework.Filter;
import org.osgi.framework.ServiceReference;

import io.portside.handler.api.PortsideProperties;
import io.portside.handler.api.RequestPolicy;

/**
 * A policy service the whiteboard knows of, with its properties read once. Built from a {@link ServiceReference} by
 * the whiteboard, or from plain properties by {@link #of} for tests that run without a framework.
 *
 * @param reference  the service's reference, or null without a framework
 * @param properties its service properties
 */
record PolicyCandidate(String name, int ranking, long serviceId, RequestPolicy policy, ServiceReference<?> reference,
        Map<String, Object> properties) {

    /** The OSGi service order: highest ranking first, then lowest service id. */
    static final Comparator<PolicyCandidate> FIRST_CONSULTED = Comparator.comparingInt(PolicyCandidate::ranking).reversed()
            .thenComparingLong(PolicyCandidate::serviceId);

    static PolicyCandidate of(ServiceReference<?> reference, RequestPolicy policy) {
        return of(reference, ServiceProperties.of(reference), policy);
    }

    /** A candidate without a service reference ({@code service.id} required, a Long). */
    static PolicyCandidate of(Map<String, Object> properties, RequestPolicy policy) {
        return of(null, properties, policy);
    }

    private static PolicyCandidate of(ServiceReference<?> reference, Map<String, Object> properties, RequestPolicy policy) {
        if (!(properties.get(Constants.SERVICE_ID) instanceof Long id)) {
            throw new IllegalArgumentException("service.id (a Long) is required");
        }
        Object name = properties.get(PortsideProperties.POLICY);
        int ranking = properties.get(Constants.SERVICE_RANKING) instanceof Integer i ? i : 0;
        return new PolicyCandidate(name != null ? name.toString() : "policy-" + id, ranking, id, policy, reference, Map.copyOf(properties));
    }

    /** True if {@code filter} matches its service properties. */
    boolean matches(Filter filter) {
        return ServiceProperties.matches(filter, reference, properties);
    }
}
