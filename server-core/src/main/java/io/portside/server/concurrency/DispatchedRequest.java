package io.portside.server.concurrency;

import java.net.SocketAddress;
import java.nio.channels.SelectableChannel;
import java.util.concurrent.RejectedExecutionException;

import org.osgi.annotation.versioning.ProviderType;

import io.portside.handler.api.SocketServer;

/**
 * One accepted request, as a {@link ConcurrencyModel} receives it. A model either serves it in this JVM
 * ({@link #serve()}, on whichever thread it chooses) or hands it to another process (forking), and then reports
 * the hand-over and the end.
 *
 * <p>The hand-over protocol mirrors Python's {@code ForkingMixIn.process_request}: once the model has handed the
 * request over it calls {@link #handedOver()}, which releases this process's copy ({@code closeRequest}, never
 * {@code shutdownRequest}: no FIN while the worker serves). When the worker is done, or gone, the model calls
 * {@link #finished} exactly once; a request it took but could not serve after all ends with {@link #refused}.
 */
@ProviderType
public interface DispatchedRequest {

    /** The request: the server's {@code StreamRequest} or {@code DatagramRequest}. */
    Object request();

    /** The client's address; {@code null} for an unbound Unix datagram client. */
    SocketAddress clientAddress();

    /** The server that accepted the request. */
    SocketServer server();

    /** The server's own socket (listening or datagram), for a model that shares it with its workers. */
    SelectableChannel serverChannel();

    /**
     * Serves the request in this JVM on the calling thread: a fresh handler, error routing, and the request's end.
     * Never throws an {@link Exception}; an {@link Error} from the handler may propagate after the request has ended.
     */
    void serve();

    /** The request now lives elsewhere: releases this process's copy. Call once, before {@link #finished}. */
    void handedOver();

    /**
     * The request has ended elsewhere. An {@link Exception} is what the handler raised: it reaches the server's
     * {@code handleError}. {@code null} (success, or a worker that exited or died) reports nothing. Either way the
     * request's end then runs on its released copy. Call exactly once.
     */
    void finished(Throwable failure);

    /**
     * The model could not serve a request it had taken (it waited for a worker that did not come, or it closed):
     * reported as if {@link ConcurrencyModel#dispatch} had thrown. Called instead of {@link #handedOver()} and
     * {@link #finished}, at most once.
     */
    void refused(RejectedExecutionException reason);
}
