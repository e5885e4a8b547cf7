package io.portside.server.host.internal;

import java.net.SocketAddress;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

import io.portside.handler.api.PeerCredentials;
import io.portside.handler.api.SocketServer;

/** What a hosted server asks its listener at each step of a request; one implementation serves every transport. */
interface RequestHooks {

    /** Counts the request and consults the listener's policies; false rejects it. */
    boolean verify(Object request, SocketAddress client, Supplier<Optional<PeerCredentials>> peer);

    /**
     * Runs the request (the server's {@code finishRequest}): on the revision it was pinned to at accept, with a
     * fresh handler of that revision, counted on the revision while it runs.
     */
    void finish(Object request, SocketAddress client, SocketServer server) throws Exception;

    /** The request has been shut down: release what the policies hold for it. */
    void ended(Object request);

    /** A handler raised an exception. */
    void error(SocketAddress client, Throwable error);

    /** The concurrency model refused the request (a full pool). */
    void refused(SocketAddress client, RejectedExecutionException reason);
}
