package io.portside.server.forking.internal;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.ReentrantLock;

import io.portside.server.forking.ForkingOptions;

/**
 * Takes jobs to workers: finds a worker for a job (an idle one, or one started for it while the job waits in the
 * queue, or at the bound the first to be free), sends it outside the lock, and puts a job whose worker failed to take
 * it back in the queue. Also ends jobs: at their deadline in the queue, and on abort.
 */
final class Dispatcher {

    private final Pools pools;
    private final Timers timers;
    private final ForkingOptions options;
    private final ReentrantLock lock;

    Dispatcher(Pools pools, Timers timers, ForkingOptions options) {
        this.pools = pools;
        this.timers = timers;
        this.options = options;
        this.lock = pools.lock();
    }

    /**
     * Sends the job to a worker, or queues it for one that is starting; tries up to three workers.
     *
     * @throws RejectedExecutionException if it cannot be taken; the request is then untouched
     */
    void submit(Job job) {
        for (int attempt = 1; ; attempt++) {
            WorkerProcess worker = assign(job);
            if (worker == null || dispatch(job, worker)) {
                return; // queued, or sent
            }
            if (attempt == 3) {
                throw new RejectedExecutionException("workers failed to take " + job);
            }
        }
    }

    /**
     * An idle worker, now busy with {@code job}; or null once the job waits in the queue for a starting worker;
     * or, at the bound, the first worker to be free within the job's deadline.
     */
    private WorkerProcess assign(Job job) {
        Pool pool = job.pool();
        lock.lock();
        try {
            while (true) {
                if (pools.isClosed()) {
                    throw new RejectedExecutionException("server closed");
                }
                if (pool.broken() != null) {
                    throw new RejectedExecutionException("handler " + pool.handler().className() + " cannot start in a worker: " + pool.broken());
                }
                WorkerProcess w = pool.takeHot();
                if (w != null) {
                    w.busy(job);
                    pools.topUp(pool);
                    return w;
                }
                if (!pool.startsAhead()) {
                    pools.startOne(pool);
                }
                if (pool.startsAhead()) {
                    queue(job, false);
                    pools.topUp(pool);
                    return null;
                }
                long left = job.nanosLeft();
                if (left <= 0) {
                    throw new RejectedExecutionException("all " + pools.workerCount() + " workers busy for " + options.workerWait().toMillis() + " ms");
                }
                long backoff = pool.startDelayNanos(System.nanoTime());
                pools.changed().awaitNanos(backoff > 0 ? Math.min(left, backoff) : left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RejectedExecutionException("interrupted while waiting for a worker");
        } finally {
            lock.unlock();
        }
    }

    /** Puts the job in its pool's queue until its deadline (lock held); {@code first}: ahead of the others. */
    private void queue(Job job, boolean first) {
        if (first) {
            job.pool().queueFirst(job);
        } else {
            job.pool().queueLast(job);
        }
        job.queued(timers.schedule(() -> expire(job), Math.max(0, job.nanosLeft())));
    }

    /** Sends the job to its worker (busy with it); false if the worker could not take it (it is stopped). */
    private boolean dispatch(Job job, WorkerProcess worker) {
        Running running = job.attempt();
        try {
            worker.send(job.frame(), job.fd());
        } catch (IOException e) {
            running.abandon();
            worker.kill();
            return false;
        }
        job.handedOver();
        running.handed();
        return true;
    }

    /** Sends queued jobs to the workers just paired with them; a job whose worker failed goes back to the queue. */
    void dispatchAll(List<Job> paired) {
        for (Job job : paired) {
            if (!dispatch(job, job.attempt().worker())) {
                requeue(job);
            }
        }
    }

    private void requeue(Job job) {
        List<Job> paired = List.of();
        String refusal = null;
        lock.lock();
        try {
            if (pools.isClosed()) {
                refusal = "server closed";
            } else if (job.nanosLeft() <= 0) {
                refusal = "no worker took the request within " + options.workerWait().toMillis() + " ms";
            } else {
                queue(job, true);
                paired = pools.matchPending(job.pool());
                pools.fillPending(job.pool());
            }
        } finally {
            lock.unlock();
        }
        if (refusal != null) {
            job.refused(refusal);
        }
        dispatchAll(paired);
    }

    /** The queued job's deadline passed: refuse it if no worker took it. */
    private void expire(Job job) {
        boolean refuse;
        lock.lock();
        try {
            refuse = job.expired();
            if (refuse) {
                job.pool().unqueue(job);
            }
        } finally {
            lock.unlock();
        }
        if (refuse) {
            job.refused("no worker became ready within " + options.workerWait().toMillis() + " ms");
        }
    }

    /** Ends a job now: a queued one is refused, a running one loses its worker (its connection closes). */
    void abort(Job job) {
        boolean refuse = false;
        WorkerProcess kill = null;
        lock.lock();
        try {
            Running attempt = job.attempt();
            if (job.isQueued()) {
                job.pool().unqueue(job);
                job.dequeued();
                refuse = true;
            } else if (attempt != null && attempt.worker().current() == attempt) {
                kill = attempt.worker();
            }
        } finally {
            lock.unlock();
        }
        if (refuse) {
            job.refused("ended before a worker took it");
        }
        if (kill != null) {
            kill.kill();
        }
    }
}
