package io.portside.server;

import java.net.SocketAddress;
import java.util.concurrent.RejectedExecutionException;

/**
 * The default processor: CPython's {@code _handle_request_noblock} after {@code get_request}: {@link BaseServer#verifyRequest},
 * then {@link BaseServer#processRequest}, with its {@code handleError}, {@code requestRefused} and {@code shutdownRequest} on
 * the way out.
 */
final class PythonHooks<R> implements RequestProcessor<R> {

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
            try {
                server.handleErrorSafely(request, clientAddress, e);
            } finally {
                server.shutdownRequest(request);
            }
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
            try {
                server.requestRefused(request, clientAddress, e);
            } finally {
                server.shutdownRequest(request);
            }
        } catch (Exception e) {
            try {
                server.handleErrorSafely(request, clientAddress, e);
            } finally {
                server.shutdownRequest(request);
            }
        } catch (Error e) {
            if (server.endedBeforeError != request) { // a synchronous model's serve() already shut it down
                server.shutdownRequest(request);
            }
            server.endedBeforeError = null;
            throw e;
        }
    }
}
