package io.portside.server.host.internal;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import io.portside.server.runtime.FailureReason;

/**
 * The plan: the listener each endpoint should have, as a function of a {@link WhiteboardSnapshot} alone. Configurations
 * come first, then what handlers declare; an invalid configuration keeps the endpoint it names (nobody else serves it:
 * fail closed), or its last good configuration when it had one. Each endpoint then gets its winning handler, the ones
 * it shadows, its concurrency and its policy chain. No services, no sockets, no state between passes: the
 * {@link ListenerApplier} makes the plan so.
 */
final class DesiredListeners {

    private final Path home;

    DesiredListeners(Path home) {
        this.home = home;
    }

    ListenerPlan plan(WhiteboardSnapshot snapshot) {
        Pass pass = new Pass(snapshot);
        pass.explicitSpecs();
        pass.implicitSpecs();
        pass.settleEach();
        return new ListenerPlan(pass.desired, pass.failures, pass.configProblems, pass.claimed, pass.lastGood,
                snapshot.policies().stream().map(PolicyCandidate::name).collect(Collectors.toSet()));
    }

    /** One pass's working state. */
    private final class Pass {
        private final WhiteboardSnapshot snapshot;
        private final Map<String, ListenerSpec> specs = new TreeMap<>();
        private final Map<String, DesiredListener> desired = new TreeMap<>();
        private final Map<String, ListenerFailure> failures = new TreeMap<>();
        private final Map<String, String> configProblems = new TreeMap<>();
        /** Endpoints that an invalid configuration claims: nobody else may serve them until the file is fixed (fail closed). */
        private final Map<String, String> claimed = new HashMap<>();
        private final Map<String, ListenerSpec> lastGood;

        Pass(WhiteboardSnapshot snapshot) {
            this.snapshot = snapshot;
            this.lastGood = new HashMap<>(snapshot.lastGood());
            lastGood.keySet().retainAll(snapshot.configurations().keySet());
        }

        void explicitSpecs() {
            for (Map.Entry<String, Map<String, Object>> e : new TreeMap<>(snapshot.configurations()).entrySet()) {
                ListenerSpec spec = explicitSpec(e.getKey(), e.getValue());
                if (spec == null) {
                    continue;
                }
                ListenerSpec other = specs.putIfAbsent(spec.endpoint().text(), spec);
                if (other != null) {
                    failures.put(spec.name(), ListenerFailure.failed(spec, FailureReason.ENDPOINT_CONFIGURED_TWICE,
                            "endpoint already configured by listener " + other.name()));
                }
            }
        }

        /**
         * The spec a listener configuration asks for; while its file is invalid, its last good spec (if it had one) with
         * the problem shown, else null with the endpoint it names claimed and left closed.
         */
        private ListenerSpec explicitSpec(String pid, Map<String, Object> props) {
            try {
                ListenerSpec spec = ListenerSpecs.explicit(pid, props, home);
                lastGood.put(pid, spec);
                return spec;
            } catch (IllegalArgumentException bad) {
                String name = ListenerSpecs.nameOf(pid, props);
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
                String shown = endpoint != null ? endpoint.text() : String.valueOf(props.getOrDefault("endpoint", "?"));
                failures.put(name, ListenerFailure.failed(name, shown, FailureReason.BAD_CONFIGURATION,
                        problem + (endpoint == null ? "" : "; " + endpoint.text() + " stays closed until the file is fixed or removed")));
                return null;
            }
        }

        void implicitSpecs() {
            for (HandlerCandidate c : snapshot.handlers()) {
                for (String error : c.endpointErrors()) {
                    failures.put(c.name(), ListenerFailure.failed(c.name(), "?", FailureReason.BAD_ENDPOINT,
                            "handler " + c + " declares a bad endpoint: " + error));
                }
                for (Endpoint endpoint : c.endpoints()) {
                    if (snapshot.holdImplicit() || claimed.containsKey(endpoint.text())) {
                        continue;
                    }
                    try {
                        specs.putIfAbsent(endpoint.text(), ListenerSpecs.implicit(c, endpoint));
                    } catch (IllegalArgumentException bad) {
                        failures.put(c.name(), ListenerFailure.failed(c.name(), endpoint.text(), FailureReason.BAD_CONCURRENCY,
                                "handler " + c + ": " + bad.getMessage()));
                    }
                }
            }
        }

        void settleEach() {
            specs.forEach(this::settle);
        }

        /** Picks the handler, settles the concurrency and finds the policies of the listener on {@code key}. */
        private void settle(String key, ListenerSpec spec) {
            List<HandlerCandidate> matching = snapshot.handlers().stream().filter(spec::accepts).toList();
            // A handler name often covers a stream and a datagram service (echo): only the kind that fits counts,
            // and a mismatch is a failure only when nothing fits.
            boolean streamEndpoint = spec.endpoint().transport().isStream();
            List<HandlerCandidate> compatible = matching.stream().filter(c -> c.stream() == streamEndpoint).toList();
            if (compatible.isEmpty() && !matching.isEmpty()) {
                HandlerCandidate c = matching.get(0);
                failures.put(spec.name(), ListenerFailure.failed(spec, FailureReason.TRANSPORT_MISMATCH, "handler " + c + " serves "
                        + (c.stream() ? "streams" : "datagrams") + " but " + spec.endpoint() + " is a " + (c.stream() ? "datagram" : "stream")
                        + " endpoint"));
            }
            HandlerCandidate winner = compatible.isEmpty() ? null : compatible.get(0);
            ConcurrencySpec running = snapshot.running().get(key);
            ListenerSpec settled;
            try {
                // A listener keeps its model unless one is configured, so re-pointing it never costs the socket.
                settled = running != null ? spec.keepingModel(running) : spec.withHandlerConcurrency(winner);
            } catch (IllegalArgumentException e) {
                failures.put(spec.name(), ListenerFailure.failed(spec, FailureReason.BAD_CONCURRENCY, "bad concurrency: " + e.getMessage()));
                return;
            }
            try {
                settled = settled.withHandlerMaxConnections(winner);
            } catch (IllegalArgumentException e) { // the handler's own portside.max.connections: fail closed, as for its model
                failures.put(spec.name(), ListenerFailure.failed(spec, FailureReason.BAD_CONFIGURATION, "handler " + winner + ": " + e.getMessage()));
                return;
            }
            List<HandlerCandidate> shadowed = compatible.size() > 1 ? compatible.subList(1, compatible.size()) : List.of();
            desired.put(key, new DesiredListener(settled, winner, shadowed, PolicyChains.chainFor(settled, snapshot.policies())));
        }
    }
}
