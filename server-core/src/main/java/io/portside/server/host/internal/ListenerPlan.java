package io.portside.server.host.internal;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.Set;

/**
 * What one pass of {@link DesiredListeners} found.
 *
 * @param desired        by endpoint key, sorted: the listener each endpoint should have
 * @param failures       by listener name: the listeners that cannot be had, and why
 * @param configProblems by listener name: why a listener serves its last good configuration
 * @param claimed        by endpoint key: the listener whose invalid configuration holds that endpoint closed
 * @param lastGood       by PID: the last valid spec of each configuration, for the next pass's snapshot
 * @param policyNames    the names of every policy registered now
 */
record ListenerPlan(Map<String, DesiredListener> desired, Map<String, ListenerFailure> failures, Map<String, String> configProblems,
        Map<String, String> claimed, Map<String, ListenerSpec> lastGood, Set<String> policyNames) {

    ListenerPlan {
        desired = Collections.unmodifiableSortedMap(new TreeMap<>(desired));
        failures = Collections.unmodifiableSortedMap(new TreeMap<>(failures));
        configProblems = Collections.unmodifiableSortedMap(new TreeMap<>(configProblems));
        claimed = Map.copyOf(claimed);
        lastGood = Map.copyOf(lastGood);
        policyNames = Set.copyOf(policyNames);
    }

    /** The listener whose invalid configuration holds {@code endpoint} closed, or null. */
    String claimedBy(String endpoint) {
        return claimed.get(endpoint);
    }
}
