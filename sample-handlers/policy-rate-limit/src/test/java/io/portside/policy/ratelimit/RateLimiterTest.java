package io.portside.policy.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class RateLimiterTest {

    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong now = new AtomicLong(1_000 * SECOND);
    private final RateLimiter limiter = new RateLimiter(now::get);

    private boolean admit(String client, Rate rate) {
        return limiter.admit(client, rate).accepted();
    }

    @Test
    void aNewClientMayBurstThenWaitsForTokens() {
        Rate rate = new Rate(2, 3, 100);
        assertTrue(admit("a", rate));
        assertTrue(admit("a", rate));
        assertTrue(admit("a", rate));
        assertFalse(admit("a", rate), "burst of 3 used up");

        now.addAndGet(SECOND / 2 - 1);
        assertFalse(admit("a", rate), "not quite one token after 0.5 s at 2/s");
        now.addAndGet(1);
        assertTrue(admit("a", rate), "one token after 0.5 s");
        assertFalse(admit("a", rate));
    }

    @Test
    void tokensNeverExceedTheBurst() {
        Rate rate = new Rate(10, 2, 100);
        admit("a", rate);
        now.addAndGet(3600 * SECOND);
        assertTrue(admit("a", rate));
        assertTrue(admit("a", rate));
        assertFalse(admit("a", rate));
    }

    @Test
    void clientsHaveTheirOwnBuckets() {
        Rate rate = new Rate(1, 1, 100);
        assertTrue(admit("a", rate));
        assertFalse(admit("a", rate));
        assertTrue(admit("b", rate));
        assertTrue(limiter.admit("a", rate).reason().contains("a exceeds 1.0 requests/s (burst 1)"));
    }

    @Test
    void fractionalRates() {
        Rate rate = new Rate(0.5, 1, 100);
        assertTrue(admit("a", rate));
        now.addAndGet(SECOND);
        assertFalse(admit("a", rate));
        now.addAndGet(SECOND);
        assertTrue(admit("a", rate), "one token every two seconds");
    }

    @Test
    void idleBucketsAreForgotten() {
        Rate rate = new Rate(10, 5, 1000);
        for (int i = 0; i < 100; i++) {
            admit("10.0.0." + i, rate);
        }
        assertEquals(100, limiter.clients());
        now.addAndGet(SECOND); // every bucket refilled: idle
        admit("192.0.2.1", rate);
        assertEquals(97, limiter.clients(), "four idle buckets forgotten by one request");
        for (int i = 0; i < 30; i++) {
            admit("192.0.2.1", rate);
            now.addAndGet(SECOND);
        }
        assertEquals(1, limiter.clients(), "idle buckets are swept, a few per request");
        assertEquals(0, limiter.evictedForSpace());
    }

    @Test
    void anAddressFloodStaysWithinMaxClients() {
        Rate rate = new Rate(1, 1, 50);
        for (int i = 0; i < 10_000; i++) {
            admit("2001:db8::" + Integer.toHexString(i), rate);
        }
        assertEquals(50, limiter.clients());
        assertEquals(10_000 - 50, limiter.evictedForSpace());
        assertTrue(admit("10.9.9.9", rate), "a new client still gets in");
    }

    @Test
    void rateParsingAndErrors() {
        assertEquals(new Rate(5, 5, 10_000), Rate.from(Map.of("rate", "5")));
        assertEquals(new Rate(0.5, 1, 10_000), Rate.from(Map.of("rate", "0.5")));
        assertEquals(new Rate(100, 20, 7), Rate.from(Map.of("rate", "100", "burst", "20", "max.clients", "7")));
        assertEquals("'rate' must be above 0: -3", assertThrows(IllegalArgumentException.class, () -> Rate.from(Map.of("rate", "-3"))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Rate.from(Map.of("rate", "0")));
        assertThrows(IllegalArgumentException.class, () -> Rate.from(Map.of("rate", "NaN")));
        assertThrows(IllegalArgumentException.class, () -> Rate.from(Map.of("rate", "fast")));
        assertThrows(IllegalArgumentException.class, () -> Rate.from(Map.of()));
        assertEquals("'burst' must be at least 1: 0", assertThrows(IllegalArgumentException.class,
                () -> Rate.from(Map.of("rate", "1", "burst", "0"))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Rate.from(Map.of("rate", "1", "max.clients", "-5")));
    }
}
