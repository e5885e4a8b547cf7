package io.portside.server.concurrency;

import java.nio.channels.SelectableChannel;
import java.util.concurrent.RejectedExecutionException;

import io.portside.handler.api.Concurrency;
import io.portside.handler.api.SocketServer;

/**
 * Runs a server's requests: the composition counterpart of Python's mix-ins. A server calls {@link #dispatch} once per
 * request from its serving thread, and {@link #close()} from {@code serverClose}.
 *
 * <p>The synchronous model serves the request on the calling thread; thread models serve it on another thread and
 * return at once; forking hands it to a worker process. Each gets the same {@link DispatchedRequest}.
 */
public interface ConcurrencyModel {

    /** Which model this is. */
    Concurrency kind();

    /**
     * Takes one request: serves it now ({@link DispatchedRequest#serve()}), on a worker, or in another process.
     *
     * @throws RejectedExecutionException when the model is at its bound (a full pool) or closed; the request is then
     *                                    still the caller's
     */
    void dispatch(DispatchedRequest request);

    /**
     * Called once the socket of a server whose every request this model serves elsewhere is bound and active
     * ({@code serverActivate}), so the model can share it with the processes that serve (forking prestarts its workers
     * here). Does nothing by default; servers that run their requests in this JVM never call it.
     */
    default void serverActivated(SocketServer server, SelectableChannel channel) {
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
