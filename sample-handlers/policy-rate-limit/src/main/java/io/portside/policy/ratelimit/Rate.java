package io.portside.policy.ratelimit;

import java.util.Map;

import io.portside.handler.api.ConfigOption;

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

    /** Required: no default. */
    static final ConfigOption<Double> RATE = ConfigOption.decimalAbove("rate", null, 0);
    /** By default the rate rounded up (at least 1), see {@link #from}. */
    static final ConfigOption<Integer> BURST = ConfigOption.integer("burst", null, 1);
    static final ConfigOption<Integer> MAX_CLIENTS = ConfigOption.integer("max.clients", 10_000, 1);

    /**
     * @throws IllegalArgumentException naming the key and the value that is wrong
     */
    static Rate from(Map<String, ?> properties) {
        if (!RATE.isSet(properties)) {
            throw new IllegalArgumentException("'" + RATE + "' is required (requests per second per client, e.g. rate=5)");
        }
        double perSecond = RATE.from(properties);
        int burst = BURST.from(properties, (int) Math.min(Integer.MAX_VALUE, Math.max(1, Math.ceil(perSecond))));
        return new Rate(perSecond, burst, MAX_CLIENTS.from(properties));
    }

    @Override
    public String toString() {
        return RATE + " " + perSecond + "/s, " + BURST + " " + burst + ", " + MAX_CLIENTS + " " + maxClients;
    }
}
