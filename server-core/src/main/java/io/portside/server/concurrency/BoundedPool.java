package io.portside.server.concurrency;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.portside.handler.api.Concurrency;

/**
 * A fixed pool of platform threads with a bounded queue: the thread-pool server Python lacks.
 *
 * <p>When every thread is busy and the queue is full, {@link #execute} rejects the request: the server then
 * closes the connection at once (the client reads EOF right after connecting) and logs it, or drops the datagram.
 */
public final class BoundedPool implements ConcurrencyModel {

    private static final AtomicInteger POOLS = new AtomicInteger();
    /** The pool whose worker is running on this thread, so close() never waits for its own caller. */
    private static final ThreadLocal<BoundedPool> RUNNING_IN = new ThreadLocal<>();

    private final ThreadPoolExecutor executor;
    private final boolean blockOnClose;
    private final int threads;
    private final int queue;

    public BoundedPool(int threads, int queue, boolean blockOnClose) {
        if (threads < 1) {
            throw new IllegalArgumentException("pool size must be at least 1: " + threads);
        }
        if (queue < 0) {
            throw new IllegalArgumentException("pool queue must not be negative: " + queue);
        }
        this.threads = threads;
        this.queue = queue;
        this.blockOnClose = blockOnClose;
        int pool = POOLS.incrementAndGet();
        AtomicInteger worker = new AtomicInteger();
        BlockingQueue<Runnable> waiting = queue == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(queue);
        this.executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, waiting, r -> {
            Thread t = new Thread(r, "portside-pool-" + pool + "-" + worker.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.AbortPolicy());
        executor.allowCoreThreadTimeOut(true);
    }

    @Override
    public Concurrency kind() {
        return Concurrency.POOL;
    }

    @Override
    public void execute(Runnable requestWork) {
        try {
            executor.execute(() -> {
                RUNNING_IN.set(this);
                try {
                    requestWork.run();
                } finally {
                    RUNNING_IN.remove();
                }
            });
        } catch (RejectedExecutionException e) {
            throw new RejectedExecutionException(executor.isShutdown() ? "pool closed"
                    : "pool full: " + threads + " threads busy and " + queue + " requests queued");
        }
    }

    @Override
    public int activeCount() {
        return executor.getActiveCount() + executor.getQueue().size();
    }

    @Override
    public void close() {
        executor.shutdown();
        if (blockOnClose && RUNNING_IN.get() != this) {
            try {
                executor.awaitTermination(Long.MAX_VALUE, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return "pool(" + threads + " threads, queue " + queue + ")";
    }
}
