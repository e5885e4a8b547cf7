package io.portside.server.host.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.Filter;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.Version;

import io.portside.handler.api.ConfigValues;
import io.portside.handler.api.PortsideProperties;
import io.portside.handler.api.RequestHandlerFactory;
import io.portside.handler.api.StreamProtocolFactory;
import io.portside.server.runtime.HandlerView;

/**
 * A handler service the whiteboard knows of: its factory and the properties that matter for binding, read once when
 * the service is tracked (a change of properties is tracked anew). The natural order puts the winner first: highest
 * ranking, then highest bundle version, then lowest service id. Built from a {@link ServiceReference} by the whiteboard,
 * or from plain properties by {@link #of} (for the plan's unit tests, which run without a framework).
 */
final class HandlerCandidate {

    static final Comparator<HandlerCandidate> WINNER_FIRST = Comparator
            .comparingInt(HandlerCandidate::ranking).reversed()
            .thenComparing(HandlerCandidate::bundleVersion, Comparator.reverseOrder())
            .thenComparingLong(HandlerCandidate::serviceId);

    /** Null when built without a framework. */
    private final ServiceReference<?> reference;
    private final Map<String, Object> properties;
    /** A {@link RequestHandlerFactory} or a {@link StreamProtocolFactory}. */
    private final Object factory;
    private final boolean stream;
    private final List<Endpoint> endpoints = new ArrayList<>();
    private final List<String> endpointErrors = new ArrayList<>();
    // Read once: after the service is unregistered its reference no longer knows its bundle.
    private final String bundleName;
    private final Version bundleVersion;

    HandlerCandidate(ServiceReference<?> reference, Object factory, boolean stream, Path home) {
        this(reference, ServiceProperties.of(reference), factory, stream, bundleNameOf(reference.getBundle()), bundleVersionOf(reference.getBundle()),
                home);
    }

    private HandlerCandidate(ServiceReference<?> reference, Map<String, Object> properties, Object factory, boolean stream,
            String bundleName, Version bundleVersion, Path home) {
        this.reference = reference;
        this.properties = properties;
        this.factory = factory;
        this.stream = stream;
        this.bundleName = bundleName;
        this.bundleVersion = bundleVersion;
        for (String text : ConfigValues.commaList(properties.get(PortsideProperties.ENDPOINT))) {
            try {
                endpoints.add(Endpoint.parse(text, home));
            } catch (IllegalArgumentException e) {
                endpointErrors.add(e.getMessage());
            }
        }
    }

    /**
     * A candidate without a service reference: {@code properties} are its service properties ({@code service.id} is
     * required; {@code portside.handler}, {@code portside.endpoint}, {@code service.ranking} ... as a service has them).
     */
    static HandlerCandidate of(Map<String, Object> properties, Object factory, boolean stream, String bundleName,
            Version bundleVersion, Path home) {
        if (!(properties.get(Constants.SERVICE_ID) instanceof Long)) {
            throw new IllegalArgumentException("service.id (a Long) is required");
        }
        return new HandlerCandidate(null, Map.copyOf(properties), factory, stream, bundleName, bundleVersion, home);
    }

    private static String bundleNameOf(Bundle bundle) {
        return bundle == null ? "?" : bundle.getSymbolicName();
    }

    private static Version bundleVersionOf(Bundle bundle) {
        return bundle == null ? Version.emptyVersion : bundle.getVersion();
    }

    /** The service's reference, or null for a candidate built without a framework. */
    ServiceReference<?> reference() {
        return reference;
    }

    /** One of its service properties as it was when tracked, or null. */
    Object property(String key) {
        return properties.get(key);
    }

    /** True if {@code filter} matches its service properties (keys without regard to case, as OSGi matches them). */
    boolean matches(Filter filter) {
        return ServiceProperties.matches(filter, reference, properties);
    }

    /** A {@link RequestHandlerFactory}, or a {@link StreamProtocolFactory} when {@link #protocol()}. */
    Object factory() {
        return factory;
    }

    /** True for stream handler and protocol factories, false for datagram ones. */
    boolean stream() {
        return stream;
    }

    /** True for an event-driven protocol ({@link StreamProtocolFactory}), served on the listener's loops. */
    boolean protocol() {
        return factory instanceof StreamProtocolFactory;
    }

    String name() {
        Object name = properties.get(PortsideProperties.HANDLER);
        return name == null ? "service-" + serviceId() : name.toString();
    }

    /** The endpoints it declares that parse. */
    List<Endpoint> endpoints() {
        return endpoints;
    }

    /** Why declared endpoints did not parse. */
    List<String> endpointErrors() {
        return endpointErrors;
    }

    String concurrency() {
        Object c = properties.get(PortsideProperties.CONCURRENCY);
        return c == null ? null : c.toString();
    }

    int ranking() {
        return properties.get(Constants.SERVICE_RANKING) instanceof Integer i ? i : 0;
    }

    long serviceId() {
        return (Long) properties.get(Constants.SERVICE_ID);
    }

    Version bundleVersion() {
        return bundleVersion;
    }

    String bundleName() {
        return bundleName;
    }

    HandlerView view(long openConnections) {
        return new HandlerView(name(), bundleName(), bundleVersion().toString(), serviceId(), ranking(), openConnections);
    }

    @Override
    public String toString() {
        return name() + " (" + bundleName() + " " + bundleVersion() + ")";
    }
}
