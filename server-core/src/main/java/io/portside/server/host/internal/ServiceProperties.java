package io.portside.server.host.internal;

import java.util.HashMap;
import java.util.Hashtable;
import java.util.Map;

import org.osgi.framework.Filter;
import org.osgi.framework.ServiceReference;

/**
 * A tracked service's properties read once, and filters matched against them, so that the plan's candidates work with
 * a service reference (in the framework) and without one (in unit tests) alike.
 */
final class ServiceProperties {

    private ServiceProperties() {
    }

    /** The reference's properties now, nulls left out. */
    static Map<String, Object> of(ServiceReference<?> reference) {
        Map<String, Object> properties = new HashMap<>();
        for (String key : reference.getPropertyKeys()) {
            Object value = reference.getProperty(key);
            if (value != null) {
                properties.put(key, value);
            }
        }
        return Map.copyOf(properties);
    }

    /**
     * True if {@code filter} matches: against the reference when there is one (exactly as OSGi matches services), else
     * against the properties (keys without regard to case, as OSGi does).
     */
    static boolean matches(Filter filter, ServiceReference<?> reference, Map<String, Object> properties) {
        return reference != null ? filter.match(reference) : filter.match(new Hashtable<>(properties));
    }
}
