package io.portside.handler.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Makes a fresh {@link StreamProtocol} for each connection, as {@link RequestHandlerFactory} makes a handler per
 * request: in plain Java a constructor reference does ({@code EchoProtocol::new}).
 */
@ConsumerType
@FunctionalInterface
public interface StreamProtocolFactory {

    /** A new protocol instance; never shared between connections. */
    StreamProtocol newProtocol();
}
