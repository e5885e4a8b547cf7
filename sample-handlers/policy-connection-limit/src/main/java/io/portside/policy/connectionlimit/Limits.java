package io.portside.policy.connectionlimit;

import java.util.Map;

import io.portside.handler.api.ConfigOption;

/**
 * The configured limits: {@code max.connections} (open connections in total, over every listener the policy is
 * attached to) and {@code max.per.client} (open connections per client). Each is a whole number of at least 1, or
 * absent for no such limit; at least one must be set.
 *
 * @param total     the total limit, or 0 for none
 * @param perClient the per-client limit, or 0 for none
 */
record Limits(int total, int perClient) {

    /** Absent is 0, no limit; a given value must be at least 1. */
    static final ConfigOption<Integer> MAX_CONNECTIONS = ConfigOption.integer("max.connections", 0, 1);
    static final ConfigOption<Integer> MAX_PER_CLIENT = ConfigOption.integer("max.per.client", 0, 1);

    /**
     * @throws IllegalArgumentException naming the key and the value that is wrong
     */
    static Limits from(Map<String, ?> properties) {
        int total = MAX_CONNECTIONS.from(properties);
        int perClient = MAX_PER_CLIENT.from(properties);
        if (total == 0 && perClient == 0) {
            throw new IllegalArgumentException("no limit set: give '" + MAX_CONNECTIONS + "' or '" + MAX_PER_CLIENT + "' (or both)");
        }
        return new Limits(total, perClient);
    }

    @Override
    public String toString() {
        return MAX_CONNECTIONS + " " + (total == 0 ? "unlimited" : total) + ", " + MAX_PER_CLIENT + " "
                + (perClient == 0 ? "unlimited" : perClient);
    }
}
