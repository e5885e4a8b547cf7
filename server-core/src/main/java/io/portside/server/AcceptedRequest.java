package io.portside.server;

import java.net.SocketAddress;


/**
 * A request a server has just taken, handed to its {@link RequestProcessor}: the request, the client, and the
 * server's own way of ending it (a stream server half-closes and closes the connection; a datagram has nothing to
 * close).
 *
 * @param <R> the request type
 */
public final class AcceptedRequest<R> {

    private final BaseServer<R> server;
    private final R request;
    private final SocketAddress clientAddress;

    AcceptedRequest(BaseServer<R> server, R request, SocketAddress clientAddress) {
        this.server = server;
        this.request = request;
        this.clientAddress = clientAddress;
    }

    /** The connection or datagram: a {@code StreamRequest} or a {@code DatagramRequest}. */
    public R request() {
        return request;
    }

    /** The client's address; {@code null} for an unbound Unix datagram client. */
    public SocketAddress clientAddress() {
        return clientAddress;
    }

    /** The server that took it. */
    public BaseServer<R> server() {
        return server;
    }

    /** Ends the request (Python's {@code shutdown_request}): the client reads EOF. Call once. */
    public void end() {
        server.shutdownRequest(request);
    }

    /**
     * Releases only this process's copy (Python's {@code close_request}), after the request was handed to another
     * process; {@link #end()} still follows once it has ended there.
     */
    public void release() {
        server.closeRequest(request);
    }

    @Override
    public String toString() {
        return "request from " + clientAddress + " to " + server.serverAddress();
    }
}
