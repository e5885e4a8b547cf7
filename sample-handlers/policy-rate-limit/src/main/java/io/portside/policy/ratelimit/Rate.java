package io.portside.policy.ratelimit;

import java.util.Map;

/**
 * The configured rate: {@code rate} requests per second per client (a decimal above 0, e.g. {@code 0.5} for one
 * every two seconds), {@code burst} requests a client may make at once after being idle (a whole number of at
 * least 1, by default the rate rounded up), and {@code max.clients}, how many clients are tracked at most (default
 * 10000) so that memory stays bounded however many addresses a client can use.
 *
 * @param perSecond  tokens added per second
 * @param burst      the bucket's capacity
 * @param maxClients the most buckets kept
 */
record Rate(double perSecond, int burst, int maxClients) {

    static final String RATE = "rate";
    static final String BURST = "burst";
    static final String MAX_CLIENTS = "max.clients";
    static final int DEFAULT_MAX_CLIENTS = 10_000;

    /**
     * @throws IllegalArgumentException naming the key and the value that is wrong
     */
    static Rate from(Map<String, ?> properties) {
        Object rateValue = properties.get(RATE);
        if (rateValue == null || rateValue.toString().isBlank()) {
            throw new IllegalArgumentException("'" + RATE + "' is required (requests per second per client, e.g. rate=5)");
        }
        double perSecond;
        try {
            perSecond = Double.parseDouble(rateValue.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + RATE + "' is not a number: '" + rateValue + "'");
        }
        if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
            throw new IllegalArgumentException("'" + RATE + "' must be above 0: " + rateValue);
        }
        int burst = whole(properties, BURST, (int) Math.min(Integer.MAX_VALUE, Math.max(1, Math.ceil(perSecond))));
        int maxClients = whole(properties, MAX_CLIENTS, DEFAULT_MAX_CLIENTS);
        return new Rate(perSecond, burst, maxClients);
    }

    private static int whole(Map<String, ?> properties, String key, int defaultValue) {
        Object value = properties.get(key);
        if (value == null || value.toString().isBlank()) {
            return defaultValue;
        }
        int n;
        try {
            n = value instanceof Number number ? Math.toIntExact(number.longValue()) : Integer.parseInt(value.toString().trim());
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("'" + key + "' is not a whole number: '" + value + "'");
        }
        if (n < 1) {
            throw new IllegalArgumentException("'" + key + "' must be at least 1: " + n);
        }
        return n;
    }

    @Override
    public String toString() {
        return RATE + " " + perSecond + "/s, " + BURST + " " + burst + ", " + MAX_CLIENTS + " " + maxClients;
    }
}
