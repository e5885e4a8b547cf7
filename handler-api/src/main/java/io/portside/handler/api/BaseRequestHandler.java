package io.portside.handler.api;

import java.net.SocketAddress;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Python's {@code BaseRequestHandler}: one fresh instance per request.
 *
 * <p>{@link #run} plays the part of Python's constructor: it stores the request, the client address
 * and the server, then calls {@link #setup()}, {@link #handle()} and {@link #finish()}. {@code finish}
 * always runs once {@code setup} has returned, even when {@code handle} throws; if {@code setup} throws,
 * neither {@code handle} nor {@code finish} runs. When both {@code handle} and {@code finish} throw,
 * the exception from {@code finish} propagates and the one from {@code handle} is added to it as suppressed.
 *
 * <p>An ordinary {@link Exception} is reported by the server's {@code handleError} and the request is
 * closed; the server goes on. An {@link Error} (for example {@link ServerExit}) is the analogue of
 * Python's {@code SystemExit}: it is not reported as a request error.
 *
 * @param <R> the request type: {@link StreamRequest} or {@link DatagramRequest}
 */
@ConsumerType
public abstract class BaseRequestHandler<R> {

    /** The request: a connection for stream servers, a datagram plus its reply socket for datagram servers. */
    protected R request;
    /** The client's address; {@code null} for an unbound Unix datagram client. */
    protected SocketAddress clientAddress;
    /** The server that accepted the request. */
    protected SocketServer server;

    /** Runs the handler on one request: setup, handle, and finish (always, once setup has returned). */
    public final void run(R request, SocketAddress clientAddress, SocketServer server) throws Exception {
        this.request = request;
        this.clientAddress = clientAddress;
        this.server = server;
        setup();
        try {
            handle();
        } catch (Throwable handleFailure) {
            try {
                finish();
            } catch (Throwable finishFailure) {
                finishFailure.addSuppressed(handleFailure);
                throw finishFailure;
            }
            throw handleFailure;
        }
        finish();
    }

    /** Prepares the request before {@link #handle()}; does nothing by default. */
    protected void setup() throws Exception {
    }

    /** Does the work of the request; does nothing by default. */
    protected void handle() throws Exception {
    }

    /** Cleans up after {@link #handle()}; always runs once setup has returned. Does nothing by default. */
    protected void finish() throws Exception {
    }

    public final R request() {
        return request;
    }

    public final SocketAddress clientAddress() {
        return clientAddress;
    }

    public final SocketServer server() {
        return server;
    }
}
