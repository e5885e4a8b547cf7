package io.portside.server.host.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Everything the plan looks at, frozen for one pass: no services, no sockets, so that {@link DesiredListeners#plan}
 * is a function of it alone.
 *
 * @param handlers       the handler services, in any order (the plan sorts them winner first)
 * @param policies       the policy services
 * @param configurations the listener configurations by PID
 * @param lastGood       by PID, the last valid spec of each listener configuration (from the previous plan)
 * @param running        by endpoint key, the concurrency of each listener that is bound now
 * @param holdImplicit   true while handlers' own endpoints must wait (see {@link StartupSettling})
 */
record WhiteboardSnapshot(List<HandlerCandidate> handlers, List<PolicyCandidate> policies, Map<String, Map<String, Object>> configurations,
        Map<String, ListenerSpec> lastGood, Map<String, ConcurrencySpec> running, boolean holdImplicit) {

    WhiteboardSnapshot {
        List<HandlerCandidate> sorted = new ArrayList<>(handlers);
        sorted.sort(HandlerCandidate.WINNER_FIRST);
        handlers = List.copyOf(sorted);
        policies = policies.stream().sorted(PolicyCandidate.FIRST_CONSULTED).toList();
        configurations = Map.copyOf(configurations);
        lastGood = Map.copyOf(lastGood);
        running = Map.copyOf(running);
    }
}
