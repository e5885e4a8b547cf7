package io.portside.server;

import java.net.SocketAddress;
import java.nio.channels.SelectableChannel;
import java.util.concurrent.RejectedExecutionException;

import io.portside.server.concurrency.DispatchedRequest;

/**
 * A request as the concurrency model receives it. Served here, it runs {@link #processRequestInWorker}; handed to
 * another process (Python's {@code ForkingMixIn}), the model releases the server's copy once handed over
 * ({@code closeRequest}, not {@code shutdownRequest}) and reports the end, which runs {@code handleError} for an
 * exception and then {@code shutdownRequest}. Equal only to itself in practice: no two share a request.
 */
record HookedRequest<R>(BaseServer<R> server, R request, SocketAddress clientAddress) implements DispatchedRequest {

    @Override
    public SelectableChannel serverChannel() {
        return server.channel();
    }

    @Override
    public void serve() {
        try {
            server.processRequestInWorker(request, clientAddress);
        } catch (Error e) {
            server.endedBeforeError.set(request); // read by PythonHooks when a synchronous model lets it propagate
            throw e;
        }
    }

    @Override
    public void handedOver() {
        server.closeRequest(request);
    }

    @Override
    public void finished(Throwable failure) {
        if (failure instanceof Exception e) {
            PythonHooks.failAndEnd(server, request, clientAddress, e);
        } else {
            server.shutdownRequest(request);
        }
    }

    @Override
    public void refused(RejectedExecutionException reason) {
        PythonHooks.refuseAndEnd(server, request, clientAddress, reason);
    }

    @Override
    public String toString() {
        return "request from " + clientAddress + " to " + server.serverAddress();
    }
}
