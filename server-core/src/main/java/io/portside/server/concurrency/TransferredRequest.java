package io.portside.server.concurrency;

import java.net.SocketAddress;
import java.nio.channels.SelectableChannel;

import org.osgi.annotation.versioning.ProviderType;

import io.portside.handler.api.SocketServer;

/**
 * One accepted request on its way to a model that takes the request itself rather than a {@link Runnable}
 * ({@link ConcurrencyModel#transfersRequests()}): a model that serves requests in another process hands the
 * connection's descriptor, or the datagram, to a worker there. The server makes one per request.
 *
 * <p>The protocol mirrors Python's {@code ForkingMixIn.process_request}: once the model has handed the request
 * over it calls {@link #handedOver()}, which releases the server's own copy with {@code closeRequest} (never
 * {@code shutdownRequest}: no FIN while the worker serves). When the worker is done, or gone, the model calls
 * {@link #finished} exactly once; a request it took but could not serve after all ends with {@link #refused}. A model
 * that keeps a request in this JVM after all runs it with {@link #run()},
 * which is what a thread model's worker does with it.
 */
@ProviderType
public interface TransferredRequest extends Runnable {

    /** The request: the server's {@code StreamRequest} or {@code DatagramRequest}. */
    Object request();

    /** The client's address; {@code null} for an unbound Unix datagram client. */
    SocketAddress clientAddress();

    /** The server that accepted the request. */
    SocketServer server();

    /** The server's own socket (listening or datagram), for a model that shares it with its workers. */
    SelectableChannel serverChannel();

    /** The request now lives elsewhere: releases this process's copy ({@code closeRequest}). Call once, before {@link #finished}. */
    void handedOver();

    /**
     * The request has ended elsewhere. An {@link Exception} is what the handler raised: it reaches the server's
     * {@code handleError}. {@code null} (success, or a worker that exited or died) reports nothing. Either way the
     * server then runs {@code shutdownRequest} on its released copy, which only ends its bookkeeping: the
     * connection was closed where it was served. Call exactly once.
     */
    void finished(Throwable failure);

    /**
     * The model could not serve a request it had taken (it waited for a worker that did not come, or the model closed):
     * the server runs {@code requestRefused} and {@code shutdownRequest}, as when {@link ConcurrencyModel#transfer}
     * throws. Called instead of {@link #handedOver()} and {@link #finished}, at most once.
     */
    void refused(java.util.concurrent.RejectedExecutionException reason);

    /** Processes the request in this JVM on the calling thread, as a thread model's worker would. */
    @Override
    void run();
}
