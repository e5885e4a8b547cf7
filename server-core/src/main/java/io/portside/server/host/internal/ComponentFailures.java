package io.portside.server.host.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

import io.portside.handler.api.ConfigValues;
import io.portside.handler.api.DatagramHandlerFactory;
import io.portside.handler.api.PortsideProperties;
import io.portside.handler.api.RequestPolicy;
import io.portside.server.runtime.FailureReason;

/**
 * Handler and policy components whose activation failed. SCR only logs such a failure in its own words (naming the
 * whiteboard that asked for the service); the host reports it once, naming the bundle, the component, the endpoint it
 * would have served and the exception's message, and shows it in the runtime view.
 */
final class ComponentFailures {

    private static final List<String> HOSTED_SERVICES = List.of(io.portside.handler.api.StreamHandlerFactory.class.getName(),
            io.portside.handler.api.StreamProtocolFactory.class.getName(),
            DatagramHandlerFactory.class.getName(), RequestPolicy.class.getName());

    /** One component configuration that failed to activate. */
    record Failed(String component, String bundle, String handler, String endpoint, String message) {

        String describe() {
            return "component " + component + " of bundle " + bundle + " failed to activate"
                    + (endpoint.isEmpty() ? "" : ", so " + endpoint + " is not served") + ": " + message;
        }

        ListenerFailure failure() {
            return ListenerFailure.failed(handler, endpoint.isEmpty() ? "?" : endpoint, FailureReason.COMPONENT_FAILED, describe());
        }
    }

    private ComponentFailures() {
    }

    static List<Failed> find(ServiceComponentRuntime scr) {
        List<Failed> failed = new ArrayList<>();
        if (scr == null) {
            return failed;
        }
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
            if (d.serviceInterfaces == null || Arrays.stream(d.serviceInterfaces).noneMatch(HOSTED_SERVICES::contains)) {
                continue;
            }
            for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                if (c.state == ComponentConfigurationDTO.FAILED_ACTIVATION) {
                    Object handler = c.properties.getOrDefault(PortsideProperties.HANDLER, c.properties.get(PortsideProperties.POLICY));
                    failed.add(new Failed(d.name, d.bundle.symbolicName + " " + version(d), handler == null ? d.name : handler.toString(),
                            String.join(",", ConfigValues.commaList(c.properties.get(PortsideProperties.ENDPOINT))), firstLine(c.failure)));
                }
            }
        }
        return failed;
    }

    private static String version(ComponentDescriptionDTO d) {
        // BundleDTO has no version; the bundle's id finds it.
        org.osgi.framework.Bundle b = org.osgi.framework.FrameworkUtil.getBundle(ComponentFailures.class).getBundleContext().getBundle(d.bundle.id);
        return b == null ? "?" : b.getVersion().toString();
    }

    /** The failure's first line: the exception and its message (DS gives the whole stack trace). */
    private static String firstLine(String failure) {
        if (failure == null || failure.isBlank()) {
            return "unknown cause";
        }
        List<String> lines = failure.strip().lines().toList();
        String cause = lines.get(0);
        for (String l : lines) {
            if (l.startsWith("Caused by: ")) {
                cause = l.substring("Caused by: ".length()); // the innermost cause is the handler's own exception
            }
        }
        return cause;
    }
}
