package io.portside.server;

import java.net.SocketAddress;

/**
 * What {@link BaseServer#getRequest()} returns: Python's {@code (request, client_address)} pair.
 *
 * @param request       the connection or datagram
 * @param clientAddress the client's address; {@code null} for an unbound Unix datagram client
 * @param <R>           the request type
 */
public record IncomingRequest<R>(R request, SocketAddress clientAddress) {
}
