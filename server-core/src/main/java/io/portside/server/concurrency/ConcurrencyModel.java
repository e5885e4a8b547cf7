package io.portside.server.concurrency;

import java.util.concurrent.RejectedExecutionException;

import io.portside.handler.api.Concurrency;

/**
 * Runs a server's requests. A server calls {@link #execute} once per request from its serving thread,
 * and {@link #close()} from {@code serverClose}.
 *
 * <p>A synchronous model ({@link #isInline()}) runs nothing itself: the server runs the request on the
 * serving thread. Every other model runs the work elsewhere and returns at once. A model that serves requests
 * outside this JVM takes the request itself ({@link #transfersRequests()}, {@link #transfer}).
 */
public interface ConcurrencyModel {

    /** Which model this is. */
    Concurrency kind();

    /** True when the server should run each request on its serving thread (Python's plain servers). */
    default boolean isInline() {
        return false;
    }

    /**
     * Starts {@code requestWork} on a worker. The work routes its own errors; it must not throw.
     *
     * @throws RejectedExecutionException when the model is at its bound (a full pool) or closed
     */
    void execute(Runnable requestWork);

    /**
     * True for a model that takes each request itself through {@link #transfer} instead of a {@link Runnable}
     * through {@link #execute} (forking: the request is served by another process). False by default.
     */
    default boolean transfersRequests() {
        return false;
    }

    /**
     * Takes one request over (called instead of {@link #execute} when {@link #transfersRequests()}). The default
     * runs it in this JVM through {@link #execute}.
     *
     * @throws RejectedExecutionException when the request cannot be taken; the request is then still the server's
     */
    default void transfer(TransferredRequest request) {
        execute(request);
    }

    /** Requests currently running or queued. */
    int activeCount();

    /**
     * Called by {@code serverClose}: stops taking work and, if the model blocks on close, waits for the
     * running work to end. Never waits for the calling thread itself.
     */
    void close();

    /** A synchronous model: Python's default. */
    static ConcurrencyModel synchronous() {
        return Synchronous.INSTANCE;
    }

    /** A platform thread per request ({@code ThreadingMixIn} with its defaults). */
    static ConcurrencyModel threading() {
        return new ThreadPerRequest(false, true);
    }

    /** A virtual thread per request; {@code close} waits for running requests. */
    static ConcurrencyModel virtualThreads() {
        return new VirtualThreadPerRequest(true);
    }

    /** A bounded pool of {@code threads} platform threads with room for {@code queue} waiting requests. */
    static ConcurrencyModel pool(int threads, int queue) {
        return new BoundedPool(threads, queue, true);
    }
}
