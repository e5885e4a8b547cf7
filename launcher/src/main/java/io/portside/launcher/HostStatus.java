package io.portside.launcher;

import java.util.List;

/**
 * What {@code portside status} shows of a running host: its listeners as the runtime view has them, the host's
 * descriptors and threads against their limits, and the listener failures seen lately. The control socket sends it as
 * JSON ({@link StatusJson}); the client reads it back into this form to print a table or a {@code top} frame.
 *
 * @param pid            the host's process id
 * @param home           the host's home folder
 * @param uptimeMillis   how long the host has run
 * @param changeCount    the runtime view's change count (it grows with every change to any listener)
 * @param listeners      every listener, sorted by endpoint
 * @param figures        descriptors and threads
 * @param recentFailures the latest listener failures, oldest first
 */
record HostStatus(long pid, String home, long uptimeMillis, long changeCount, List<Listener> listeners, Figures figures,
        List<Failure> recentFailures) {

    static final String BOUND = "BOUND";
    static final String FAILED = "FAILED";

    HostStatus {
        listeners = List.copyOf(listeners);
        recentFailures = List.copyOf(recentFailures);
    }

    /** True when some listener is {@code FAILED}: {@code portside status} then exits with {@link StatusExit#LISTENER_FAILED}. */
    boolean anyFailed() {
        return listeners.stream().anyMatch(l -> FAILED.equals(l.state()));
    }

    /** One listener, with the names and meanings of {@code io.portside.server.runtime.ListenerView}. */
    record Listener(String name, String endpoint, String state, Revision handler, List<Revision> shadowed, List<Revision> draining,
            String concurrency, List<String> policies, Counters counters, String failure, String reason) {

        Listener {
            shadowed = List.copyOf(shadowed);
            draining = List.copyOf(draining);
            policies = List.copyOf(policies);
        }
    }

    /** A listener's counters; {@code handlerTimes} is null when the runtime view does not count durations. */
    record Counters(long openConnections, long accepted, long rejected, long errors, long drained, long timedOut, long overdue,
            long tlsFailures, long bytesIn, long bytesOut, HandlerTimes handlerTimes) {

        /** The 99th percentile of request time since the listener started, or null (shown as {@code -}). */
        Double p99Millis() {
            return handlerTimes == null ? null : handlerTimes.p99Millis();
        }
    }

    /** A handler revision as a listener sees it. */
    record Revision(String name, String bundle, String version, long serviceId, int ranking, long openConnections) {

        @Override
        public String toString() {
            return name + " (" + bundle + " " + version + ", service " + serviceId + ")";
        }
    }

    /** The host's descriptors and threads against their limits; a limit of {@code -1} is unknown or unlimited. */
    record Figures(long openDescriptors, long descriptorLimit, long liveThreads, long threadLimit) {
    }

    /** A failure a listener reported, when it was first seen. */
    record Failure(String time, String listener, String endpoint, String reason, String message) {
    }
}
