package io.portside.server.forking.internal;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

import io.portside.server.forking.ForkingOptions;

/**
 * What a worker's own thread reports: it is ready, it failed to start, it finished a request, it is gone. Each report
 * updates the pools under the lock, then sends, quits, ends and logs outside it.
 */
final class WorkerEvents {

    private static final System.Logger LOG = System.getLogger("io.portside.server.forking");

    private final Pools pools;
    private final Dispatcher dispatcher;
    private final ForkingOptions options;
    private final ReentrantLock lock;

    WorkerEvents(Pools pools, Dispatcher dispatcher, ForkingOptions options) {
        this.pools = pools;
        this.dispatcher = dispatcher;
        this.options = options;
        this.lock = pools.lock();
    }

    /** The worker loaded its handler class: it takes a queued job, or waits as a spare. */
    void ready(WorkerProcess w) {
        boolean quit = false;
        List<Job> paired = List.of();
        lock.lock();
        try {
            Pool pool = w.pool();
            pool.started();
            if (pools.isClosed() || pool.isRetired() && !pool.hasPending()) {
                w.quitting();
                quit = true;
            } else {
                pool.parkCold(w);
                paired = pools.matchPending(pool);
                pools.topUp(pool);
            }
            pools.changed().signalAll();
        } finally {
            lock.unlock();
        }
        LOG.log(Level.DEBUG, "Worker {0} ready", w);
        if (quit) {
            w.quit();
        }
        dispatcher.dispatchAll(paired);
    }

    /**
     * The worker did not start. {@code permanent}: its handler class cannot load, so the pool is broken and its queued
     * jobs are refused; otherwise the pool backs off before the next start.
     */
    void startFailed(WorkerProcess w, String reason, boolean permanent) {
        boolean report = !w.isAborting() && !pools.isClosed();
        w.kill();
        w.reap();
        List<Job> refused = List.of();
        Pool pool = w.pool();
        lock.lock();
        try {
            pools.forget(w);
            pool.startFailed(w);
            w.gone();
            if (permanent) {
                refused = pool.breakDown(reason);
            } else if (report) {
                pool.backOff(System.nanoTime());
            }
            pools.fillPending(pool);
            pools.forgetIfDone(pool);
            pools.deleteRunFolderIfDone();
            pools.changed().signalAll();
        } finally {
            lock.unlock();
        }
        if (report) {
            LOG.log(Level.WARNING, "A worker for handler {0} failed to start: {1}", pool.handler().className(), reason);
        }
        refused.forEach(job -> job.refused("handler " + pool.handler().className() + " cannot start in a worker: " + reason));
    }

    /** The worker reported the end of a request: it serves on, or quits (it is told, or exits by itself). */
    void done(WorkerProcess w, Wire.Done report) {
        Running r;
        boolean quit = false;
        List<Job> paired = List.of();
        lock.lock();
        try {
            r = w.current();
            if (r == null || r.id() != report.id()) {
                LOG.log(Level.WARNING, "Worker {0} reported a request it was not given ({1}); stopping it", w, report.id());
                w.kill();
                return;
            }
            Pool pool = w.pool();
            w.requestEnded();
            if (report.outcome() == Wire.Outcome.EXIT) {
                w.exiting();
                pools.fillPending(pool);
            } else if (mustQuit(w)) {
                w.quitting();
                quit = true;
                pools.fillPending(pool);
            } else {
                pool.parkHot(w);
                paired = pools.matchPending(pool);
            }
            pools.topUp(pool);
            pools.changed().signalAll();
        } finally {
            lock.unlock();
        }
        if (quit) {
            w.quit();
        }
        if (report.outcome() == Wire.Outcome.EXIT) {
            LOG.log(Level.WARNING, "Worker {0} ends: its handler raised {1} on {2}; a replacement starts", w, report.failure(), r.job());
            r.ended(null);
        } else {
            r.ended(report.failure());
        }
        dispatcher.dispatchAll(paired);
    }

    /** After a request (lock held): no more work for a worker of a closed or retired pool, or one that served its share. */
    private boolean mustQuit(WorkerProcess w) {
        Pool pool = w.pool();
        return pools.isClosed() || pool.isRetired() && !pool.hasPending() || w.state() == WorkerProcess.State.QUITTING
                || options.requestsPerWorker() > 0 && w.served() >= options.requestsPerWorker();
    }

    /** The worker's process ended ({@code status}: its exit status, or -1): the request it was serving ends too. */
    void gone(WorkerProcess w, int status) {
        Running r;
        boolean report;
        lock.lock();
        try {
            Pool pool = w.pool();
            pools.forget(w);
            pool.removed(w);
            report = !pools.isClosed() && w.endIsNews();
            r = w.gone();
            pools.fillAllPending();
            pools.topUp(pool);
            pools.forgetIfDone(pool);
            pools.deleteRunFolderIfDone();
            pools.changed().signalAll();
        } finally {
            lock.unlock();
        }
        if (r != null) {
            if (!w.isAborting()) {
                LOG.log(Level.WARNING, "Worker {0} died while serving {1}: {2}; its connection is closed, a replacement starts",
                        w, r.job(), describe(status));
            }
            r.ended(null);
        } else if (report) {
            LOG.log(Level.WARNING, "Idle worker {0} died: {1}; a replacement starts", w, describe(status));
        }
    }

    /** An exit status in words: a signal's name where the shell's 128+n says one killed it. */
    static String describe(int status) {
        if (status > 128 && status < 160) {
            int signal = status - 128;
            return "killed by signal " + signal + (signal == 9 ? " (SIGKILL)" : signal == 11 ? " (SIGSEGV)" : signal == 6 ? " (SIGABRT)" : "");
        }
        return status < 0 ? "exit status unknown" : "exit status " + status;
    }
}
