package io.portside.server.forking;

import org.osgi.annotation.versioning.ProviderType;

/** A request a worker process is serving. */
@ProviderType
public interface RunningRequest {

    /** The worker process serving it. */
    ProcessHandle worker();

    /**
     * Ends the request now: the worker is killed (its connection closes; the client reads EOF or a reset), and a
     * replacement starts if the pool still needs one. Used at a drain deadline. Does nothing once the request ended.
     */
    void abort();
}
