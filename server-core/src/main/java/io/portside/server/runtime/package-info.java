/**
 * The runtime view of the host, in the spirit of the HTTP whiteboard's {@code HttpServiceRuntime}: every
 * listener with its endpoint, handler, state and counters. Read by the Gogo commands and by scripts.
 * <p>
 * 2.0.0: {@link io.portside.server.runtime.ListenerView} is a class built by its builder (so it can grow fields
 * without breaking callers), its state is {@link io.portside.server.runtime.ListenerState}, and a failure carries a
 * {@link io.portside.server.runtime.FailureReason}.
 */
@Export
@Version("2.3.0")
package io.portside.server.runtime;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
