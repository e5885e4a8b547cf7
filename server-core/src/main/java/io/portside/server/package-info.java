/**
 * Python's {@code socketserver} servers in plain Java, usable with or without OSGi.
 *
 * <pre>{@code
 * try (var server = new ThreadingTcpServer(new InetSocketAddress("127.0.0.1", 9999), EchoHandler::new)) {
 *     server.serveForever();
 * }
 * }</pre>
 *
 * <p>{@link io.portside.server.BaseServer} carries the lifecycle and the hooks; {@link io.portside.server.TcpServer},
 * {@link io.portside.server.UnixStreamServer}, {@link io.portside.server.UdpServer} and
 * {@link io.portside.server.UnixDatagramServer} the transports; a
 * {@link io.portside.server.concurrency.ConcurrencyModel} composes what Python's mix-ins inherit.
 */
@Export
@Version("2.1.0")
package io.portside.server;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
