package io.portside.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.portside.handler.api.StreamRequestHandler;
import io.portside.server.concurrency.ConcurrencyModel;

/** Binding: addresses, options, failures (test 15) and Unix socket files (spec §4, cases 15, 19, 20, 21). */
@Execution(ExecutionMode.CONCURRENT)
class BindTest {

    private static final int LEAK_ROUNDS = 1100;

    private static long openDescriptors() throws IOException {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    /** Test 15 (Issue #22435): an invalid port is refused before any socket exists, every time. */
    @Test
    void invalidPortsNeverLeakASocket() throws Exception {
        long before = openDescriptors();
        for (int i = 0; i < LEAK_ROUNDS; i++) {
            int port = i % 2 == 0 ? -1 : 65536;
            assertThrows(IllegalArgumentException.class,
                    () -> new TcpServer(new InetSocketAddress("127.0.0.1", port), Handlers.LineEcho::new));
        }
        assertThrows(IllegalArgumentException.class,
                () -> new TcpServer(InetSocketAddress.createUnresolved("no-such-host.invalid", 0), Handlers.LineEcho::new));
        assertTrue(openDescriptors() - before < LEAK_ROUNDS / 2, "descriptors leaked");
    }

    /** Test 15 with a failure after the socket exists: bind fails (address in use), the socket is closed. */
    @ParameterizedTest
    @EnumSource(value = ServerKind.class, names = {"TCP4", "UDP4", "UNIX_STREAM", "UNIX_DATAGRAM"})
    void failedBindClosesTheSocket(ServerKind kind, @TempDir Path dir) throws Exception {
        try (BaseServer<?> taken = kind.echoServer(dir, ConcurrencyModel.synchronous(), new Errors())) {
            long before = openDescriptors();
            for (int i = 0; i < LEAK_ROUNDS; i++) {
                assertThrows(BindException.class, () -> sameAddress(kind, taken));
            }
            assertTrue(openDescriptors() - before < LEAK_ROUNDS / 2, "descriptors leaked");
            assertTrue(taken.channel().isOpen());
            if (kind.isUnix()) {
                assertTrue(Files.exists(((UnixDomainSocketAddress) taken.serverAddress()).getPath()),
                        "a failed bind must not remove someone else's socket file");
            }
        }
    }

    private static BaseServer<?> sameAddress(ServerKind kind, BaseServer<?> taken) throws IOException {
        return switch (kind) {
            case TCP4 -> new TcpServer((InetSocketAddress) taken.serverAddress(), Handlers.LineEcho::new);
            case UDP4 -> new UdpServer((InetSocketAddress) taken.serverAddress(), Handlers.DatagramEcho::new);
            case UNIX_STREAM -> new UnixStreamServer(((UnixDomainSocketAddress) taken.serverAddress()).getPath(), Handlers.LineEcho::new);
            case UNIX_DATAGRAM -> new UnixDatagramServer(((UnixDomainSocketAddress) taken.serverAddress()).getPath(), Handlers.DatagramEcho::new);
            default -> throw new IllegalArgumentException();
        };
    }

    /** Case 19: a stale socket file (or any file) at the path makes bind fail, as in CPython; close removes ours. */
    @ParameterizedTest
    @EnumSource(value = ServerKind.class, names = {"UNIX_STREAM", "UNIX_DATAGRAM"})
    void unixSocketFileLifetime(ServerKind kind, @TempDir Path dir) throws Exception {
        Path stale = dir.resolve("stale.sock");
        Files.writeString(stale, "not a socket");
        assertThrows(BindException.class, () -> {
            if (kind == ServerKind.UNIX_STREAM) {
                new UnixStreamServer(stale, Handlers.LineEcho::new).close();
            } else {
                new UnixDatagramServer(stale, Handlers.DatagramEcho::new).close();
            }
        });
        assertTrue(Files.exists(stale), "a file we did not create is left alone");

        BaseServer<?> server = kind.echoServer(dir, ConcurrencyModel.synchronous(), new Errors());
        Path path = ((UnixDomainSocketAddress) server.serverAddress()).getPath();
        assertTrue(Files.exists(path));
        server.serverClose();
        assertFalse(Files.exists(path), "serverClose removes the socket file it created");
        server.serverClose();
    }

    /** Case 21 and E2: port 0 resolves; IPv6 keeps its Inet6Address (scope id 0 for ::1). */
    @ParameterizedTest
    @EnumSource(value = ServerKind.class, names = {"TCP4", "TCP6", "UDP4", "UDP6"})
    void portZeroResolvesAndIpv6Works(ServerKind kind, @TempDir Path dir) throws Exception {
        try (BaseServer<?> server = kind.echoServer(dir, ConcurrencyModel.synchronous(), new Errors())) {
            InetSocketAddress address = (InetSocketAddress) server.serverAddress();
            assertNotEquals(0, address.getPort());
            assertTrue(address.getAddress().isLoopbackAddress());
            if (kind == ServerKind.TCP6 || kind == ServerKind.UDP6) {
                Inet6Address v6 = assertInstanceOf(Inet6Address.class, address.getAddress());
                assertEquals(0, v6.getScopeId());
            }
        }
    }

    /** E2: bindAndActivate=false leaves an unbound socket; options set then apply to the manual bind. */
    @ParameterizedTest
    @EnumSource(value = ServerKind.class, names = {"TCP4", "UDP4"})
    void bindLaterWithOptionsSetInBetween(ServerKind kind, @TempDir Path dir) throws Exception {
        InetSocketAddress requested;
        BaseServer<?> server;
        if (kind.isStream()) {
            StreamServer s = kind.streamServer(dir, ConcurrencyModel.synchronous(), new Errors(), Handlers.LineEcho::new, false);
            s.setAllowReuseAddress(true);
            s.setRequestQueueSize(10);
            server = s;
        } else {
            DatagramServer s = kind.datagramServer(dir, ConcurrencyModel.synchronous(), new Errors(), Handlers.DatagramEcho::new, false);
            s.setAllowReuseAddress(true);
            server = s;
        }
        try (server) {
            requested = (InetSocketAddress) server.serverAddress();
            assertEquals(0, requested.getPort(), "serverAddress keeps the requested address until bound");
            var channel = (java.nio.channels.NetworkChannel) server.channel();
            assertNull(channel.getLocalAddress(), "not bound yet");
            server.bindAndActivate();
            assertTrue(channel.getOption(StandardSocketOptions.SO_REUSEADDR));
            assertNotEquals(0, ((InetSocketAddress) server.serverAddress()).getPort());
            try (Serving serving = Serving.start(server)) {
                byte[] line = EchoMatrixTest.TEST_STR;
                assertArrayEquals(line, Clients.exchange(kind, server.serverAddress(), dir, line));
                serving.stop();
            }
        }
    }

    /** E17 and case 20: SO_REUSEPORT lets two IP servers share a port; on Unix sockets it is skipped, not an error. */
    @ParameterizedTest
    @EnumSource(ServerKind.class)
    void reusePortSharesIpPortsAndIsIgnoredOnUnix(ServerKind kind, @TempDir Path dir) throws Exception {
        List<BaseServer<?>> servers = new ArrayList<>();
        try {
            BaseServer<?> first = reusePortServer(kind, dir, null);
            servers.add(first);
            if (!kind.isUnix()) {
                servers.add(reusePortServer(kind, dir, (InetSocketAddress) first.serverAddress()));
                assertEquals(first.serverAddress(), servers.get(1).serverAddress());
            }
        } finally {
            servers.forEach(BaseServer::serverClose);
        }
    }

    private static BaseServer<?> reusePortServer(ServerKind kind, Path dir, InetSocketAddress at) throws IOException {
        BaseServer<?> server;
        if (kind.isStream()) {
            StreamServer s = at == null ? kind.streamServer(dir, ConcurrencyModel.synchronous(), new Errors(), Handlers.LineEcho::new, false)
                    : new TcpServer(at, Handlers.LineEcho::new, ConcurrencyModel.synchronous(), false);
            s.setAllowReusePort(true);
            server = s;
        } else {
            DatagramServer s = at == null ? kind.datagramServer(dir, ConcurrencyModel.synchronous(), new Errors(), Handlers.DatagramEcho::new, false)
                    : new UdpServer(at, Handlers.DatagramEcho::new, ConcurrencyModel.synchronous(), false);
            s.setAllowReusePort(true);
            server = s;
        }
        server.bindAndActivate();
        return server;
    }

    /** E17: SO_REUSEADDR does not let a second TCP listener share an active port. */
    @Test
    void reuseAddressDoesNotShareAnActivePort() throws Exception {
        try (TcpServer first = new TcpServer(new InetSocketAddress("127.0.0.1", 0), Handlers.LineEcho::new)) {
            TcpServer second = new TcpServer(first.serverAddress(), Handlers.LineEcho::new, ConcurrencyModel.synchronous(), false);
            second.setAllowReuseAddress(true);
            assertThrows(BindException.class, second::bindAndActivate);
            assertTrue(second.isClosed(), "a failed bindAndActivate closes the server");
        }
    }

    /**
     * Case 15: a full backlog is not promised to refuse. On Linux extra connection attempts wait (the SYN is
     * dropped and retried) rather than being refused, so a client sees a slow connect or a timeout.
     */
    @Test
    void fullBacklogDoesNotRefuse() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        TcpServer server = new TcpServer(new InetSocketAddress("127.0.0.1", 0), () -> new StreamRequestHandler() {
            @Override
            protected void handle() throws InterruptedException {
                release.await(10, TimeUnit.SECONDS);
            }
        }, ConcurrencyModel.synchronous(), false);
        server.setRequestQueueSize(1);
        server.bindAndActivate();
        List<Socket> clients = new ArrayList<>();
        try (Serving serving = Serving.start(server)) {
            for (int i = 0; i < 6; i++) {
                Socket client = new Socket();
                clients.add(client);
                try {
                    client.connect(server.serverAddress(), 200);
                } catch (SocketTimeoutException slow) {
                    // what Linux does once the queue is full
                } catch (ConnectException refused) {
                    throw new AssertionError("connection " + i + " was refused", refused);
                }
            }
            release.countDown();
            serving.stop();
        } finally {
            for (Socket c : clients) {
                c.close();
            }
        }
    }
}
