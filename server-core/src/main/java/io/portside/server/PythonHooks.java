package io.portside.server;

import java.lang.System.Logger.Level;
import java.net.SocketAddress;
import java.util.concurrent.RejectedExecutionException;

/**
 * The default processor: CPython's {@code _handle_request_noblock} after {@code get_request}: {@link BaseServer#verifyRequest},
 * then {@link BaseServer#processRequest}, with its {@code handleError}, {@code requestRefused} and {@code shutdownRequest} on
 * the way out.
 */
final class PythonHooks<R> implements RequestProcessor<R> {

    private static final System.Logger LOG = System.getLogger(BaseServer.class.getName());

    private final BaseServer<R> server;

    PythonHooks(BaseServer<R> server) {
        this.server = server;
    }

    @Override
    public void process(AcceptedRequest<R> accepted) {
        R request = accepted.request();
        SocketAddress clientAddress = accepted.clientAddress();
        boolean verified;
        try {
            verified = server.verifyRequest(request, clientAddress);
        } catch (Exception e) {
            failAndEnd(server, request, clientAddress, e);
            return;
        } catch (Error e) {
            server.shutdownRequest(request);
            throw e;
        }
        if (!verified) {
            server.shutdownRequest(request);
            return;
        }
        try {
            server.processRequest(request, clientAddress);
        } catch (RejectedExecutionException e) {
            refuseAndEnd(server, request, clientAddress, e);
        } catch (Exception e) {
            failAndEnd(server, request, clientAddress, e);
        } catch (Error e) {
            if (server.endedBeforeError.get() != request) { // a synchronous model's serve() already shut it down
                server.shutdownRequest(request);
            }
            server.endedBeforeError.remove();
            throw e;
        }
    }

    /** {@code handle_error}, guarded: an exception from it is logged instead of escaping (CPython lets it escape). */
    static <R> void handleErrorSafely(BaseServer<R> server, R request, SocketAddress clientAddress, Exception error) {
        try {
            server.handleError(request, clientAddress, error);
        } catch (RuntimeException e) {
            e.addSuppressed(error);
            LOG.log(Level.ERROR, "handleError failed for a request from " + clientAddress + " to " + server.serverAddress(), e);
        }
    }

    /** {@code handle_error} (guarded), then {@code shutdown_request}: how an Exception ends a request. */
    static <R> void failAndEnd(BaseServer<R> server, R request, SocketAddress clientAddress, Exception error) {
        try {
            handleErrorSafely(server, request, clientAddress, error);
        } finally {
            server.shutdownRequest(request);
        }
    }

    /** {@code requestRefused}, then {@code shutdown_request}: how a refusal by the concurrency model ends a request. */
    static <R> void refuseAndEnd(BaseServer<R> server, R request, SocketAddress clientAddress, RejectedExecutionException reason) {
        try {
            server.requestRefused(request, clientAddress, reason);
        } finally {
            server.shutdownRequest(request);
        }
    }
}
