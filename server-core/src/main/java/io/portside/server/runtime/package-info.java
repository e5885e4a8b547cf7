/**
 * The runtime view of the host, in the spirit of the HTTP whiteboard's {@code HttpServiceRuntime}: every
 * listener with its endpoint, handler, state and counters. Read by the Gogo commands and by scripts.
 */
@Export
@Version("1.0.0")
package io.portside.server.runtime;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
