package io.portside.handler.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * The service a handler bundle registers to serve a stream transport (TCP or Unix stream).
 * Its service properties ({@link HandlerEndpoint}) say where.
 */
@ConsumerType
@FunctionalInterface
public interface StreamHandlerFactory extends RequestHandlerFactory<StreamRequest> {
}
