package io.portside.policy.ratelimit;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

import io.portside.handler.api.PolicyDecision;

/**
 * Token buckets per client, in bounded memory. The buckets live in access order, least recently seen first. Each
 * request first forgets a few idle buckets from that end (a bucket that has refilled is the same as no bucket), and
 * when {@code max.clients} buckets are still in use, the least recently seen client's bucket is dropped: that client
 * starts again with a full bucket, so under an address flood the limit loosens for the quietest clients instead of
 * memory growing or new clients being locked out.
 */
final class RateLimiter {

    /** Idle buckets forgotten per request at most: keeps each decision O(1) while the map drains over time. */
    private static final int SWEEP_PER_REQUEST = 4;

    private final LongSupplier clock;
    private final LinkedHashMap<String, TokenBucket> buckets = new LinkedHashMap<>(64, 0.75f, true);
    private long evictedForSpace;

    RateLimiter(LongSupplier clock) {
        this.clock = clock;
    }

    synchronized PolicyDecision admit(String client, Rate rate) {
        long now = clock.getAsLong();
        sweepIdle(rate, now);
        TokenBucket bucket = buckets.get(client);
        if (bucket == null) {
            while (buckets.size() >= rate.maxClients()) {
                Iterator<TokenBucket> eldest = buckets.values().iterator();
                eldest.next();
                eldest.remove();
                evictedForSpace++;
            }
            bucket = new TokenBucket(rate, now);
            buckets.put(client, bucket);
        }
        if (bucket.tryTake(rate, now)) {
            return PolicyDecision.accept();
        }
        return PolicyDecision.reject("rate limit: " + client + " exceeds " + rate.perSecond() + " requests/s (burst " + rate.burst() + ")");
    }

    private void sweepIdle(Rate rate, long now) {
        Iterator<Map.Entry<String, TokenBucket>> it = buckets.entrySet().iterator();
        for (int i = 0; i < SWEEP_PER_REQUEST && it.hasNext(); i++) {
            if (!it.next().getValue().isIdle(rate, now)) {
                return; // the rest were seen more recently still
            }
            it.remove();
        }
    }

    /** How many clients are tracked now. */
    synchronized int clients() {
        return buckets.size();
    }

    /** How many buckets were dropped because {@code max.clients} was reached. */
    synchronized long evictedForSpace() {
        return evictedForSpace;
    }
}
