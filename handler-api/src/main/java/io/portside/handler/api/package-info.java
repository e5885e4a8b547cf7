/**
 * The handler contract of Portside: Python's {@code socketserver} request handlers in Java.
 *
 * <p>A handler bundle imports only this package. It registers a {@link StreamHandlerFactory} or
 * {@link DatagramHandlerFactory} service (usually a Declarative Services component annotated with
 * {@link HandlerEndpoint}); the host binds a listener for each endpoint the service declares and
 * creates a fresh handler for every request. A {@link RequestPolicy} service plays the part of
 * {@code verify_request}.
 */
@Export
@Version("1.8.0")
package io.portside.handler.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
