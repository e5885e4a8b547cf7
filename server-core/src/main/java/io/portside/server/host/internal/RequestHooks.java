package io.portside.server.host.internal;

import java.net.SocketAddress;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

import io.portside.handler.api.PeerCredentials;

/** What a hosted server asks its listener at each step of a request; one implementation serves every transport. */
interface RequestHooks {

    /** Counts the request and consults the listener's policies; false rejects it. */
    boolean verify(Object request, SocketAddress client, Supplier<Optional<PeerCredentials>> peer);

    /** The request has been shut down: release what the policies hold for it. */
    void ended(Object request);

    /** A handler raised an exception. */
    void error(SocketAddress client, Throwable error);

    /** The concurrency model refused the request (a full pool). */
    void refused(SocketAddress client, RejectedExecutionException reason);
}
