package io.portside.server.host.internal;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.portside.server.runtime.ListenerView;

/**
 * The listener each endpoint should have, worked out from the listener configurations and the handlers' own
 * endpoints: configurations first, then what handlers declare. An invalid configuration keeps the endpoint it names
 * (nobody else serves it: fail closed), or its last good configuration when it had one. No sockets are touched here.
 */
final class DesiredListeners {

    /** What a pass found: the spec per endpoint, the listeners that failed, and the configurations shown with a problem. */
    record Plan(Map<String, ListenerSpec> desired, Map<String, ListenerView> failures, Map<String, String> configProblems,
            Map<String, String> claimed) {

        /** The listener whose invalid configuration holds {@code endpoint} closed, or null. */
        String claimedBy(String endpoint) {
            return claimed.get(endpoint);
        }
    }

    private final Path home;
    /** The last configuration of each listener PID that was valid, kept while its file is invalid. */
    private final Map<String, ListenerSpec> lastGood = new HashMap<>();

    DesiredListeners(Path home) {
        this.home = home;
    }

    /**
     * @param holdImplicit true while handlers' own endpoints must wait (see {@link StartupSettling})
     */
    Plan plan(Map<String, Map<String, Object>> configurations, List<HandlerCandidate> candidates, boolean holdImplicit) {
        Map<String, ListenerView> failures = new TreeMap<>();
        Map<String, String> configProblems = new TreeMap<>();
        Map<String, ListenerSpec> desired = new TreeMap<>();
        // Endpoints that an invalid configuration claims: nobody else may serve them until the file is fixed (fail closed).
        Map<String, String> claimed = new HashMap<>();
        lastGood.keySet().retainAll(configurations.keySet());
        for (Map.Entry<String, Map<String, Object>> e : new TreeMap<>(configurations).entrySet()) {
            ListenerSpec spec = explicitSpec(e.getKey(), e.getValue(), claimed, failures, configProblems);
            if (spec == null) {
                continue;
            }
            ListenerSpec other = desired.putIfAbsent(spec.endpoint().text(), spec);
            if (other != null) {
                failures.put(spec.name(), UnboundViews.failed(spec, "endpoint already configured by listener " + other.name()));
            }
        }
        for (HandlerCandidate c : candidates) {
            for (String error : c.endpointErrors()) {
                failures.put(c.name(), UnboundViews.failed(c.name(), "?", "handler " + c + " declares a bad endpoint: " + error));
            }
            for (Endpoint endpoint : c.endpoints()) {
                if (holdImplicit || claimed.containsKey(endpoint.text())) {
                    continue;
                }
                try {
                    desired.putIfAbsent(endpoint.text(), ListenerSpecs.implicit(c, endpoint));
                } catch (IllegalArgumentException bad) {
                    failures.put(c.name(), UnboundViews.failed(c.name(), endpoint.text(), "handler " + c + ": " + bad.getMessage()));
                }
            }
        }
        return new Plan(desired, failures, configProblems, claimed);
    }

    /**
     * The spec a listener configuration asks for; while its file is invalid, its last good spec (if it had one) with
     * the problem shown, else null with the endpoint it names claimed and left closed.
     */
    private ListenerSpec explicitSpec(String pid, Map<String, Object> props, Map<String, String> claimed, Map<String, ListenerView> failures,
            Map<String, String> configProblems) {
        String name = ListenerSpecs.nameOf(pid, props);
        try {
            ListenerSpec spec = ListenerSpecs.explicit(pid, props, home);
            lastGood.put(pid, spec);
            return spec;
        } catch (IllegalArgumentException bad) {
            String problem = "bad configuration " + props.getOrDefault(DeployedConfigs.FILE_KEY, pid) + ": " + bad.getMessage()
                    + ListenerKeys.trailingCommentHint(props);
            Endpoint endpoint = ListenerKeys.claimedEndpoint(props, home);
            ListenerSpec good = lastGood.get(pid);
            if (endpoint != null && (good == null || !good.endpoint().equals(endpoint))) {
                claimed.put(endpoint.text(), name);
            }
            if (good != null) {
                configProblems.put(good.name(), problem + "; it keeps its last good configuration until the file is fixed");
                return good;
            }
            failures.put(name, UnboundViews.failed(name, endpoint != null ? endpoint.text() : String.valueOf(props.getOrDefault("endpoint", "?")),
                    problem + (endpoint == null ? "" : "; " + endpoint.text() + " stays closed until the file is fixed or removed")));
            return null;
        }
    }
}
