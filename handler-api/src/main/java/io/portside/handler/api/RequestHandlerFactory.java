package io.portside.handler.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Python's {@code RequestHandlerClass}: makes a fresh handler for each request.
 * In plain Java a constructor reference does: {@code new TcpServer(address, EchoHandler::new)}.
 *
 * @param <R> the request type
 */
@ConsumerType
@FunctionalInterface
public interface RequestHandlerFactory<R> {

    /** A new handler instance; never shared between requests. */
    BaseRequestHandler<R> newHandler();
}
