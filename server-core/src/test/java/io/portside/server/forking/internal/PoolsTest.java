package io.portside.server.forking.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.portside.server.forking.ForkingOptions;
import io.portside.server.forking.HandlerClass;

/** The pools' state transitions and start policy, with workers that never start a process. */
class PoolsTest {

    private static final HandlerClass ECHO = new HandlerClass("com.example.Echo", List.of());
    private static final HandlerClass OTHER = new HandlerClass("com.example.Other", List.of());

    private final List<WorkerProcess> spawned = new ArrayList<>();
    private final Timers timers = new Timers();

    @AfterEach
    void stopTimers() {
        timers.shutdown();
    }

    private Pools pools(int maxChildren, int minIdle) {
        ForkingOptions options = ForkingOptions.defaults().withMaxChildren(maxChildren).withMinIdle(minIdle);
        return new Pools(options, timers, new RunFolder(), new Pools.WorkerFactory() {
            @Override
            public WorkerProcess create(Pool pool) {
                return new WorkerProcess(pool, null, null);
            }

            @Override
            public void start(WorkerProcess worker) {
                spawned.add(worker);
            }
        });
    }

    /** What WorkerEvents.ready does to a worker that started. */
    private static void ready(WorkerProcess w) {
        w.pool().started();
        w.pool().parkCold(w);
    }

    private static Job job(Pool pool, long id) {
        return new Job(null, pool, null, id, new byte[0], null, System.nanoTime() + 60_000_000_000L);
    }

    @Test
    void sparesStartOnlyOnceAttached() {
        Pools pools = pools(10, 2);
        pools.prestart(ECHO);
        assertEquals(0, spawned.size());
        pools.lock().lock();
        try {
            pools.attached();
        } finally {
            pools.lock().unlock();
        }
        assertEquals(2, spawned.size(), "the first prestart starts every missing spare at once");
        assertEquals(2, pools.workerCount());
        assertTrue(spawned.stream().allMatch(w -> w.state() == WorkerProcess.State.STARTING));
        spawned.forEach(PoolsTest::ready);
        assertEquals(2, pools.idleCount());
        assertEquals(0, pools.busyCount());
    }

    @Test
    void queuedJobsGoToTheHotWorkerOldestFirst() {
        Pools pools = attached(pools(10, 0));
        Pool pool = pools.pool(ECHO);
        Job first = job(pool, 1);
        Job second = job(pool, 2);
        first.queued(null);
        pool.queueLast(first);
        second.queued(null);
        pool.queueLast(second);
        assertEquals(2, pools.busyCount(), "queued jobs count as busy");

        pools.lock().lock();
        try {
            pools.fillPending(pool);
            assertEquals(2, pool.starting(), "one start per queued job");
            WorkerProcess earlier = spawned.get(1);
            WorkerProcess fresher = spawned.get(0);
            ready(earlier);
            ready(fresher);
            List<Job> paired = pools.matchPending(pool);
            assertEquals(List.of(first, second), paired);
            assertFalse(first.isQueued());
            assertSame(earlier, first.attempt().worker(), "a fresh spare goes to the cold end: the oldest job takes the other");
            assertSame(fresher, second.attempt().worker());
            assertEquals(WorkerProcess.State.BUSY, earlier.state());
            assertSame(first.attempt(), earlier.current());
            assertFalse(pool.hasPending());
        } finally {
            pools.lock().unlock();
        }
        assertEquals(2, pools.busyCount());
        assertEquals(0, pools.idleCount());
    }

    @Test
    void atTheBoundAnIdleWorkerOfARetiredPoolMakesRoom() {
        Pools pools = attached(pools(2, 1));
        pools.prestart(ECHO);
        pools.prestart(OTHER);
        assertEquals(2, spawned.size());
        spawned.forEach(PoolsTest::ready);
        WorkerProcess echoWorker = spawned.get(0);
        pools.retire(ECHO).forEach(w -> assertSame(echoWorker, w));
        assertEquals(WorkerProcess.State.QUITTING, echoWorker.state());

        Pool other = pools.pool(OTHER);
        pools.lock().lock();
        try {
            assertFalse(pools.startOne(other), "at the bound, and one worker already quitting: no start");
            pools.forget(echoWorker);
            echoWorker.pool().removed(echoWorker);
            echoWorker.gone();
            pools.forgetIfDone(echoWorker.pool());
            assertTrue(pools.startOne(other), "the room the quitting worker left");
        } finally {
            pools.lock().unlock();
        }
        assertEquals(3, spawned.size());
        assertEquals(2, pools.workerCount());
    }

    @Test
    void aFailedStartBacksOffAndABrokenPoolRefusesItsQueue() {
        Pools pools = attached(pools(10, 0));
        Pool pool = pools.pool(ECHO);
        pools.lock().lock();
        try {
            assertTrue(pools.startOne(pool));
            WorkerProcess failed = spawned.get(0);
            pools.forget(failed);
            pool.startFailed(failed);
            pool.backOff(System.nanoTime());
            assertTrue(pool.startDelayNanos(System.nanoTime()) > 0);
            assertFalse(pools.startOne(pool), "no start during the back-off");

            Job queued = job(pool, 7);
            queued.queued(null);
            pool.queueLast(queued);
            assertEquals(List.of(queued), pool.breakDown("ClassNotFoundException"));
            assertFalse(queued.isQueued());
            assertEquals("ClassNotFoundException", pool.broken());
            assertFalse(pools.startOne(pool));
        } finally {
            pools.lock().unlock();
        }
    }

    @Test
    void closeEndsTheQueueQuitsIdleWorkersAndKillsStartingOnes() {
        Pools pools = attached(pools(10, 2));
        pools.prestart(ECHO);
        WorkerProcess idle = spawned.get(0);
        WorkerProcess starting = spawned.get(1);
        ready(idle);
        Pool pool = pools.pool(ECHO);
        Job queued = job(pool, 3);
        pools.lock().lock();
        try {
            queued.queued(null);
            pool.queueLast(queued);
        } finally {
            pools.lock().unlock();
        }

        Pools.Closing closing = pools.close();
        assertEquals(List.of(queued), closing.refused());
        assertEquals(List.of(idle), closing.quit());
        assertEquals(List.of(starting), closing.kill());
        assertEquals(WorkerProcess.State.QUITTING, idle.state());
        assertTrue(pools.isClosed());
        assertNull(pool.takeHot());
        pools.prestart(OTHER);
        assertEquals(2, spawned.size(), "nothing starts once closed");
    }

    @Test
    void aRetiredPoolIsForgottenOnceEmpty() {
        Pools pools = attached(pools(10, 1));
        pools.prestart(ECHO);
        Pool pool = pools.pool(ECHO);
        WorkerProcess w = spawned.get(0);
        ready(w);
        assertEquals(List.of(w), pools.retire(ECHO));
        assertSame(pool, pools.pool(ECHO), "kept while its worker quits");
        pools.lock().lock();
        try {
            pools.forget(w);
            pool.removed(w);
            w.gone();
            pools.forgetIfDone(pool);
        } finally {
            pools.lock().unlock();
        }
        assertFalse(pool == pools.pool(ECHO), "a new pool once the retired one is empty");
    }

    private static Pools attached(Pools pools) {
        pools.lock().lock();
        try {
            pools.attached();
        } finally {
            pools.lock().unlock();
        }
        return pools;
    }
}
