/**
 * Process-isolated concurrency, Python's {@code ForkingMixIn} on the JVM: requests are served by prestarted worker
 * JVMs that run the same handler classes as every other model. A stream server hands each accepted connection's
 * descriptor to a worker over a Unix socket ({@code SCM_RIGHTS}), so the worker talks to the client directly; a
 * datagram server sends each datagram to a worker, which replies from the server's own socket (its descriptor was
 * passed to the worker once). A worker that dies costs only the request it was serving.
 *
 * <pre>{@code
 * try (var server = new ForkingTcpServer(new InetSocketAddress("127.0.0.1", 9999), EchoHandler.class)) {
 *     server.serveForever();
 * }
 * }</pre>
 *
 * <p>The JVM must be started with {@code --add-opens java.base/sun.nio.ch=ALL-UNNAMED}: a JDK channel's descriptor is
 * only reachable through its implementation. See {@code docs/forking.md}.
 */
@Export
@Version("2.0.0")
package io.portside.server.forking;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
