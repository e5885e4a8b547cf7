package io.portside.policy.connectionlimit;

import java.util.Map;

/**
 * The configured limits: {@code max.connections} (open connections in total, over every listener the policy is
 * attached to) and {@code max.per.client} (open connections per client). Each is a whole number of at least 1, or
 * absent for no such limit; at least one must be set.
 *
 * @param total     the total limit, or 0 for none
 * @param perClient the per-client limit, or 0 for none
 */
record Limits(int total, int perClient) {

    static final String MAX_CONNECTIONS = "max.connections";
    static final String MAX_PER_CLIENT = "max.per.client";

    /**
     * @throws IllegalArgumentException naming the key and the value that is wrong
     */
    static Limits from(Map<String, ?> properties) {
        int total = positive(properties, MAX_CONNECTIONS);
        int perClient = positive(properties, MAX_PER_CLIENT);
        if (total == 0 && perClient == 0) {
            throw new IllegalArgumentException("no limit set: give '" + MAX_CONNECTIONS + "' or '" + MAX_PER_CLIENT + "' (or both)");
        }
        return new Limits(total, perClient);
    }

    private static int positive(Map<String, ?> properties, String key) {
        Object value = properties.get(key);
        if (value == null || value.toString().isBlank()) {
            return 0;
        }
        String text = value.toString().trim();
        int n;
        try {
            n = value instanceof Number number ? Math.toIntExact(number.longValue()) : Integer.parseInt(text);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("'" + key + "' is not a whole number: '" + text + "'");
        }
        if (n < 1) {
            throw new IllegalArgumentException("'" + key + "' must be at least 1: " + n);
        }
        return n;
    }

    @Override
    public String toString() {
        return MAX_CONNECTIONS + " " + (total == 0 ? "unlimited" : total) + ", " + MAX_PER_CLIENT + " "
                + (perClient == 0 ? "unlimited" : perClient);
    }
}
