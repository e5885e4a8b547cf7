package io.portside.server.forking.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import io.portside.server.forking.ForkingOptions;
import io.portside.server.forking.HandlerClass;

/**
 * The pools of one supervisor and the policy that keeps them: at most {@code maxChildren} workers in all,
 * {@code minIdle} spares per active pool, queued jobs paired with idle workers, room made at the bound by stopping an
 * idle worker of another pool. Every state change happens under {@link #lock()}; methods say when they take it
 * themselves, the others expect it held. Process starts, sends and reports happen outside it, except a quit at the bound.
 */
final class Pools {

    /** How a pool gets a new worker: made here and counted, then started (tests make workers without processes). */
    interface WorkerFactory {
        WorkerProcess create(Pool pool);

        void start(WorkerProcess worker);
    }

    /** What {@link #close()} leaves the caller to do outside the lock. */
    record Closing(List<Job> refused, List<WorkerProcess> quit, List<WorkerProcess> kill) {
    }

    private final ForkingOptions options;
    private final Timers timers;
    private final RunFolder runFolder;
    private final WorkerFactory factory;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<HandlerClass, Pool> pools = new HashMap<>();
    private final Set<WorkerProcess> workers = new LinkedHashSet<>();
    private volatile boolean closed;
    private boolean attached;

    Pools(ForkingOptions options, Timers timers, RunFolder runFolder, WorkerFactory factory) {
        this.options = options;
        this.timers = timers;
        this.runFolder = runFolder;
        this.factory = factory;
    }

    ReentrantLock lock() {
        return lock;
    }

    /** Signalled whenever a worker may have become free or gone, or the pools closed. */
    Condition changed() {
        return changed;
    }

    boolean isClosed() {
        return closed;
    }

    int workerCount() {
        return workers.size();
    }

    /** The server is known: workers may start; every pool's spares start now. */
    void attached() {
        attached = true;
        for (Pool p : pools.values()) {
            topUp(p, true);
        }
    }

    // ------------------------------------------------------------------ calls from the supervisor (take the lock)

    Pool pool(HandlerClass handler) {
        lock.lock();
        try {
            return pools.computeIfAbsent(handler, Pool::new);
        } finally {
            lock.unlock();
        }
    }

    /** Starts the spares of {@code handler}'s pool, every missing one at once. */
    void prestart(HandlerClass handler) {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            Pool p = pools.computeIfAbsent(handler, Pool::new);
            p.reactivate();
            topUp(p, true);
        } finally {
            lock.unlock();
        }
    }

    /** Retires {@code handler}'s pool; returns its idle workers, now quitting, for the caller to tell. */
    List<WorkerProcess> retire(HandlerClass handler) {
        lock.lock();
        try {
            Pool p = pools.get(handler);
            if (p == null) {
                return List.of();
            }
            p.retire();
            List<WorkerProcess> quit = p.drainIdle();
            forgetIfDone(p);
            return quit;
        } finally {
            lock.unlock();
        }
    }

    /** Takes no more work: queued jobs end, idle workers quit, starting ones are to be killed. */
    Closing close() {
        List<Job> refused = new ArrayList<>();
        List<WorkerProcess> quit = new ArrayList<>();
        List<WorkerProcess> kill = new ArrayList<>();
        lock.lock();
        try {
            closed = true;
            for (Pool p : pools.values()) {
                refused.addAll(p.drainPending());
            }
            for (WorkerProcess w : workers) {
                if (w.state() == WorkerProcess.State.IDLE) {
                    w.quitting();
                    w.pool().unpark(w);
                    quit.add(w);
                } else if (w.state() == WorkerProcess.State.STARTING) {
                    kill.add(w);
                }
            }
            deleteRunFolderIfDone();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        return new Closing(refused, quit, kill);
    }

    /** Waits until every worker is gone; {@code null} waits without limit. True if none is left. */
    boolean awaitEmpty(Duration limit) {
        long deadline = limit == null ? 0 : System.nanoTime() + limit.toNanos();
        lock.lock();
        try {
            while (!workers.isEmpty()) {
                if (limit == null) {
                    changed.await();
                } else {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    changed.awaitNanos(left);
                }
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return workers.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    /** Every worker alive now. */
    List<WorkerProcess> workers() {
        lock.lock();
        try {
            return new ArrayList<>(workers);
        } finally {
            lock.unlock();
        }
    }

    /** Requests being served by workers now, plus those queued for a worker that is starting. */
    int busyCount() {
        lock.lock();
        try {
            return (int) workers.stream().filter(w -> w.state() == WorkerProcess.State.BUSY).count()
                    + pools.values().stream().mapToInt(Pool::pendingCount).sum();
        } finally {
            lock.unlock();
        }
    }

    int idleCount() {
        lock.lock();
        try {
            return (int) workers.stream().filter(w -> w.state() == WorkerProcess.State.IDLE).count();
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ policy (lock held)

    /** Pairs queued jobs with idle workers (oldest job first); the caller dispatches them outside the lock. */
    List<Job> matchPending(Pool pool) {
        List<Job> paired = new ArrayList<>();
        while (pool.hasPending() && pool.hasIdle()) {
            Job job = pool.nextPending();
            pool.takeHot().busy(job);
            paired.add(job);
        }
        return paired;
    }

    /** Starts workers until every queued job has one starting for it (within the bound and the back-off). */
    void fillPending(Pool pool) {
        while (!closed && pool.startsBehind()) {
            if (!startOne(pool)) {
                long delay = pool.startDelayNanos(System.nanoTime());
                if (delay > 0) {
                    timers.schedule(() -> {
                        lock.lock();
                        try {
                            fillPending(pool);
                        } finally {
                            lock.unlock();
                        }
                    }, delay);
                }
                return;
            }
        }
    }

    /** {@link #fillPending} for every pool: the room a worker left may be what another pool's queue waits for. */
    void fillAllPending() {
        for (Pool p : new ArrayList<>(pools.values())) {
            fillPending(p);
        }
    }

    /**
     * Starts one worker for the pool if the bound allows, making room by stopping an idle worker of another pool
     * (retired pools first) when at the bound. False if none could be started now.
     */
    boolean startOne(Pool pool) {
        if (closed || pool.broken() != null || pool.startDelayNanos(System.nanoTime()) > 0) {
            return false;
        }
        if (workers.size() >= options.maxChildren()) {
            if (workers.stream().anyMatch(x -> x.state() == WorkerProcess.State.QUITTING)) {
                return false; // room is being made already; its exit signals the waiters
            }
            WorkerProcess victim = pools.values().stream().filter(p -> p != pool && p.hasIdle())
                    .sorted(Comparator.comparing((Pool p) -> !p.isRetired())).findFirst().map(Pool::takeCold).orElse(null);
            if (victim != null) {
                victim.quitting();
                victim.quit();
            }
            return false;
        }
        spawn(pool);
        return true;
    }

    /**
     * Starts a spare if the pool has fewer than minIdle workers idle or starting beyond those its queued jobs wait for;
     * one spare at a time, so a pool that dips below minIdle for a moment (a busy worker's report still on its way)
     * does not start a burst of JVMs whose start-up would slow everything down and deepen the dip.
     */
    void topUp(Pool pool) {
        topUp(pool, false);
    }

    /** {@link #topUp(Pool)}, starting every missing spare at once when {@code burst} (a pool's first prestart). */
    private void topUp(Pool pool, boolean burst) {
        if (!attached) {
            return;
        }
        while (!closed && !pool.isRetired() && pool.broken() == null && pool.lacksSpares(options.minIdle())
                && (burst || !pool.startsAhead())
                && workers.size() < options.maxChildren() && pool.startDelayNanos(System.nanoTime()) <= 0) {
            spawn(pool);
        }
    }

    private void spawn(Pool pool) {
        WorkerProcess w = factory.create(pool);
        workers.add(w);
        pool.spawned(w);
        factory.start(w);
    }

    /** {@code w}'s process has ended or never started: it no longer counts against the bound. */
    void forget(WorkerProcess w) {
        workers.remove(w);
    }

    /** Drops a retired pool that has nothing left. */
    void forgetIfDone(Pool p) {
        if (p.isDone()) {
            pools.remove(p.handler(), p);
        }
    }

    /** Once closed and without workers, the run folder goes. */
    void deleteRunFolderIfDone() {
        if (closed && workers.isEmpty()) {
            runFolder.delete();
        }
    }
}
