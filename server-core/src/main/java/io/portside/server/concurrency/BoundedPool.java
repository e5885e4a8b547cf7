package io.portside.server.concurrency;

import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.portside.handler.api.Concurrency;

/**
 * A fixed pool of platform threads with a bounded queue: the thread-pool server Python lacks.
 *
 * <p>When every thread is busy and the queue is full, {@link #dispatch} rejects the request: the server then
 * closes the connection at once (the client reads EOF right after connecting) and logs it, or drops the datagram.
 *
 * <p>Threads start on demand and end after 60 s without work. A request goes to an idle thread if there is one,
 * else to a new thread while there are fewer than {@code threads}, else into the queue. (A plain
 * {@link ThreadPoolExecutor} starts a new thread per request until it has {@code threads} of them, even while
 * others sit idle: with a pool sized for many connections every new connection then paid a thread start.)
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
        this(threads, queue, blockOnClose, null);
    }

    /**
     * Threads named {@code portside-<listener>-pool-<worker>}; {@code listener} null for a plain server's
     * {@code portside-pool-<pool>-<worker>}.
     */
    public BoundedPool(int threads, int queue, boolean blockOnClose, String listener) {
        if (threads < 1) {
            throw new IllegalArgumentException("pool size must be at least 1: " + threads);
        }
        if (queue < 0) {
            throw new IllegalArgumentException("pool queue must not be negative: " + queue);
        }
        this.threads = threads;
        this.queue = queue;
        this.blockOnClose = blockOnClose;
        String namePrefix = listener != null ? ThreadNames.prefix(listener, "pool")
                : ThreadNames.prefix(null, "pool") + POOLS.incrementAndGet() + "-";
        AtomicInteger worker = new AtomicInteger();
        HandOffQueue waiting = new HandOffQueue(threads, queue);
        this.executor = new ThreadPoolExecutor(0, threads, 60, TimeUnit.SECONDS, waiting, r -> {
            Thread t = new Thread(r, namePrefix + worker.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.AbortPolicy());
        waiting.executor = executor;
    }

    @Override
    public Concurrency kind() {
        return Concurrency.POOL;
    }

    @Override
    public void dispatch(DispatchedRequest request) {
        execute(request::serve);
    }

    private void execute(Runnable requestWork) {
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

    /**
     * The executor's work queue, deciding where a request goes: {@link ThreadPoolExecutor#execute} offers it here
     * first and starts a new thread only when the offer fails. So the offer hands the request to an idle thread if
     * one is waiting, fails while the pool may still grow, and otherwise queues up to {@code capacity} requests.
     * Only the serving thread offers, so the capacity check does not race with other offers.
     */
    private static final class HandOffQueue extends LinkedTransferQueue<Runnable> {
        private static final long serialVersionUID = 1L;

        private final int maxThreads;
        private final int capacity;
        transient ThreadPoolExecutor executor;

        HandOffQueue(int maxThreads, int capacity) {
            this.maxThreads = maxThreads;
            this.capacity = capacity;
        }

        @Override
        public boolean offer(Runnable work) {
            if (tryTransfer(work)) {
                return true;
            }
            if (executor.getPoolSize() < maxThreads) {
                return false;
            }
            return size() < capacity && super.offer(work);
        }
    }
}
