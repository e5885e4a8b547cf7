package io.portside.handler.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Python's {@code verify_request} as a service: consulted for each connection (stream) or datagram before
 * any handler runs. Policies attached to a listener are chained in ranking order; the first rejection wins.
 *
 * <p>Implementations must be thread-safe and quick: they run on the accepting thread. On a listener that serves TLS
 * they run after the handshake instead, on the connection's own thread, so that they can judge the client's
 * certificate ({@link PolicyRequest#tls()}).
 */
@ConsumerType
@FunctionalInterface
public interface RequestPolicy {

    /** Decides whether the request may be served. */
    PolicyDecision verify(PolicyRequest request);
}
