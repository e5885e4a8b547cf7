package io.portside.server.host.internal;

import java.time.Duration;

/**
 * A listener's concurrency model as the host drives it: the dispatch stage of the {@link ConnectionPipeline}. Threads
 * serve a {@link Connection} in this JVM ({@link InProcessConcurrency}); forking hands it to a worker process of the
 * revision it is pinned to ({@link ForkingConcurrency}).
 */
interface HostedConcurrency {

    /**
     * Runs the connection's remaining stages, or hands it over.
     *
     * @throws java.util.concurrent.RejectedExecutionException when the model is full or closed; the connection is then
     *                                                         still the caller's
     */
    void dispatch(Connection c);

    /** A new handler revision gets new connections (forking starts its workers). */
    default void activated(HandlerRevision revision) {
    }

    /** Connections running or queued. */
    int activeCount();

    /** Worker processes serving a request now; 0 for the models that run in this JVM. */
    default int busyWorkers() {
        return 0;
    }

    /** Worker processes started and waiting for a request; 0 for the models that run in this JVM. */
    default int idleWorkers() {
        return 0;
    }

    /** Stops taking connections; never waits for running ones (the listener drains them with its deadline). */
    void close();

    /** Waits up to {@code limit} until what the model started outside this JVM has ended; true if it has. */
    default boolean awaitTermination(Duration limit) {
        return true;
    }
}
