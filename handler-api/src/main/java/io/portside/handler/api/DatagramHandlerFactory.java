package io.portside.handler.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * The service a handler bundle registers to serve a datagram transport (UDP or Unix datagram).
 * Its service properties ({@link HandlerEndpoint}) say where.
 */
@ConsumerType
@FunctionalInterface
public interface DatagramHandlerFactory extends RequestHandlerFactory<DatagramRequest> {
}
