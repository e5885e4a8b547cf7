/**
 * How a server runs its requests: the composition counterpart of Python's {@code ThreadingMixIn} and
 * {@code ForkingMixIn}, plus a bounded pool and virtual threads. Process-based models (see
 * {@code io.portside.server.forking}) take the request itself: {@link io.portside.server.concurrency.DispatchedRequest}.
 *
 * <p>2.1.0: {@link io.portside.server.concurrency.ThreadPerRequest} takes an optional bound on running requests.
 */
@Export
@Version("2.1.0")
package io.portside.server.concurrency;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
