package io.portside.policy.connectionlimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.portside.handler.api.PolicyDecision;

class ConnectionCounterTest {

    private final ConnectionCounter counter = new ConnectionCounter();

    @Test
    void perClientLimitRejectsTheNextConnectionUntilOneEnds() {
        Limits limits = new Limits(0, 2);
        PolicyDecision first = counter.admit("10.0.0.1", limits);
        PolicyDecision second = counter.admit("10.0.0.1", limits);
        PolicyDecision third = counter.admit("10.0.0.1", limits);
        assertTrue(first.accepted());
        assertTrue(second.accepted());
        assertFalse(third.accepted());
        assertTrue(third.reason().contains("10.0.0.1 has 2 open of 2"), third.reason());
        assertTrue(counter.admit("10.0.0.2", limits).accepted(), "other clients are not affected");

        first.onRequestEnd().run();
        assertTrue(counter.admit("10.0.0.1", limits).accepted());
    }

    @Test
    void totalLimitCountsEveryClient() {
        Limits limits = new Limits(3, 0);
        for (int i = 0; i < 3; i++) {
            assertTrue(counter.admit("10.0.0." + i, limits).accepted());
        }
        PolicyDecision fourth = counter.admit("10.0.0.9", limits);
        assertFalse(fourth.accepted());
        assertTrue(fourth.reason().contains("3 open of 3"), fourth.reason());
    }

    @Test
    void releaseTwiceReleasesOnceAndIdleClientsAreForgotten() {
        Limits limits = new Limits(10, 1);
        PolicyDecision d = counter.admit("::1", limits);
        d.onRequestEnd().run();
        d.onRequestEnd().run();
        assertEquals(0, counter.open());
        assertEquals(0, counter.clients(), "a client with nothing open takes no memory");
        assertTrue(counter.admit("::1", limits).accepted());
        assertEquals(1, counter.open());
    }

    @Test
    void aTighterLimitAppliesToConnectionsAlreadyOpen() {
        counter.admit("a", new Limits(0, 5));
        counter.admit("a", new Limits(0, 5));
        assertFalse(counter.admit("a", new Limits(0, 2)).accepted());
    }

    @Test
    void concurrentAdmissionsNeverExceedTheLimit() throws Exception {
        Limits limits = new Limits(8, 3);
        AtomicInteger open = new AtomicInteger();
        AtomicInteger maxSeen = new AtomicInteger();
        List<String> violations = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch done = new CountDownLatch(8);
        for (int t = 0; t < 8; t++) {
            String client = "client-" + (t % 3);
            pool.execute(() -> {
                try {
                    for (int i = 0; i < 2000; i++) {
                        PolicyDecision d = counter.admit(client, limits);
                        if (d.accepted()) {
                            int now = open.incrementAndGet();
                            maxSeen.accumulateAndGet(now, Math::max);
                            if (counter.open(client) > 3) {
                                synchronized (violations) {
                                    violations.add(client);
                                }
                            }
                            open.decrementAndGet();
                            d.onRequestEnd().run();
                        }
                    }
                } finally {
                    done.countDown();
                }
            });
        }
        assertTrue(done.await(30, TimeUnit.SECONDS));
        pool.shutdown();
        assertTrue(violations.isEmpty(), "per-client limit exceeded: " + violations.size());
        assertTrue(maxSeen.get() <= 8, "total exceeded: " + maxSeen.get());
        assertEquals(0, counter.open());
        assertEquals(0, counter.clients());
    }
}
