package io.portside.server.host.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.Version;

import io.portside.handler.api.PortsideProperties;
import io.portside.handler.api.RequestHandlerFactory;
import io.portside.server.runtime.HandlerView;

/**
 * A handler service the whiteboard knows of: its factory and the properties that matter for binding.
 * The natural order puts the winner first: highest ranking, then highest bundle version, then lowest service id.
 */
final class HandlerCandidate {

    static final Comparator<HandlerCandidate> WINNER_FIRST = Comparator
            .comparingInt(HandlerCandidate::ranking).reversed()
            .thenComparing(HandlerCandidate::bundleVersion, Comparator.reverseOrder())
            .thenComparingLong(HandlerCandidate::serviceId);

    private final ServiceReference<?> reference;
    private final RequestHandlerFactory<?> factory;
    private final boolean stream;
    private final List<Endpoint> endpoints = new ArrayList<>();
    private final List<String> endpointErrors = new ArrayList<>();
    // Read once: after the service is unregistered its reference no longer knows its bundle.
    private final String bundleName;
    private final Version bundleVersion;

    HandlerCandidate(ServiceReference<?> reference, RequestHandlerFactory<?> factory, boolean stream, Path home) {
        this.reference = reference;
        this.factory = factory;
        this.stream = stream;
        Bundle bundle = reference.getBundle();
        this.bundleName = bundle == null ? "?" : bundle.getSymbolicName();
        this.bundleVersion = bundle == null ? Version.emptyVersion : bundle.getVersion();
        for (String text : Properties.strings(reference.getProperty(PortsideProperties.ENDPOINT))) {
            try {
                endpoints.add(Endpoint.parse(text, home));
            } catch (IllegalArgumentException e) {
                endpointErrors.add(e.getMessage());
            }
        }
    }

    ServiceReference<?> reference() {
        return reference;
    }

    RequestHandlerFactory<?> factory() {
        return factory;
    }

    /** True for stream handler factories, false for datagram ones. */
    boolean stream() {
        return stream;
    }

    String name() {
        Object name = reference.getProperty(PortsideProperties.HANDLER);
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
        Object c = reference.getProperty(PortsideProperties.CONCURRENCY);
        return c == null ? null : c.toString();
    }

    int ranking() {
        return reference.getProperty(Constants.SERVICE_RANKING) instanceof Integer i ? i : 0;
    }

    long serviceId() {
        return (Long) reference.getProperty(Constants.SERVICE_ID);
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
