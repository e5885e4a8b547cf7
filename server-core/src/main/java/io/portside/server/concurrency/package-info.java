/**
 * How a server runs its requests: the composition counterpart of Python's {@code ThreadingMixIn} and
 * {@code ForkingMixIn}, plus a bounded pool and virtual threads.
 */
@Export
@Version("1.0.0")
package io.portside.server.concurrency;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
