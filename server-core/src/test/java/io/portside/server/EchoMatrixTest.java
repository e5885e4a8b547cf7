package io.portside.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.ConnectException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * CPython tests 1-12 (minus the forking ones) as one behavioural matrix, in the style of Netty's transport
 * test suite: every server type against every concurrency model, black-box over real sockets. Each run echoes
 * {@code "hello world\n"} three times, then shuts down and closes the server, and checks that the socket is
 * really closed and that no handler ever reported an error.
 */
@Execution(ExecutionMode.CONCURRENT)
class EchoMatrixTest {

    static final byte[] TEST_STR = "hello world\n".getBytes(StandardCharsets.US_ASCII);

    static Stream<Arguments> matrix() {
        return Stream.of(ServerKind.values()).flatMap(kind -> Stream.of(Model.values()).map(model -> Arguments.of(kind, model)));
    }

    @ParameterizedTest(name = "{0} x {1}")
    @MethodSource("matrix")
    void echoesThreeTimesThenClosesItsSocket(ServerKind kind, Model model, @TempDir Path dir) throws Exception {
        Errors errors = new Errors();
        BaseServer<?> server = kind.echoServer(dir, model.create(), errors);
        SocketAddress address = server.serverAddress();
        if (address instanceof UnixDomainSocketAddress unix) {
            // Bound under a private name first, then linked to its path (docs/semantics.md, case 19).
            Path bound = ((UnixDomainSocketAddress) DatagramOrStream.localAddress(server)).getPath();
            assertEquals(unix.getPath().getFileName(), bound.getFileName(), "bound under its own name in the private folder");
            assertEquals(unix.getPath().getParent(), bound.getParent().getParent(), "the private folder is beside the path");
        } else {
            assertEquals(DatagramOrStream.localAddress(server), address, "serverAddress is the bound address");
        }
        if (address instanceof InetSocketAddress inet) {
            assertNotEquals(0, inet.getPort(), "port 0 was resolved");
        }

        Serving serving = Serving.start(server);
        try {
            for (int i = 0; i < 3; i++) {
                assertArrayEquals(TEST_STR, Clients.exchange(kind, address, dir, TEST_STR));
            }
            serving.stop();
        } finally {
            serving.close();
        }

        assertFalse(server.channel().isOpen(), "the socket is closed");
        assertSocketGone(kind, address, dir);
        errors.assertNone();
    }

    /** The four predefined combinations serve with a thread per request. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(value = ServerKind.class, names = {"TCP4", "UDP4", "UNIX_STREAM", "UNIX_DATAGRAM"})
    void predefinedThreadingServersEcho(ServerKind kind, @TempDir Path dir) throws Exception {
        SocketAddress requested = kind.freshAddress(dir);
        BaseServer<?> server = switch (kind) {
            case TCP4 -> new ThreadingTcpServer((InetSocketAddress) requested, Handlers.LineEcho::new);
            case UDP4 -> new ThreadingUdpServer((InetSocketAddress) requested, Handlers.DatagramEcho::new);
            case UNIX_STREAM -> new ThreadingUnixStreamServer(((UnixDomainSocketAddress) requested).getPath(), Handlers.LineEcho::new);
            default -> new ThreadingUnixDatagramServer(((UnixDomainSocketAddress) requested).getPath(), Handlers.DatagramEcho::new);
        };
        assertEquals(io.portside.handler.api.Concurrency.THREADING, server.concurrency().kind());
        try (Serving serving = Serving.start(server)) {
            assertArrayEquals(TEST_STR, Clients.exchange(kind, server.serverAddress(), dir, TEST_STR));
            serving.stop();
        }
        assertSocketGone(kind, server.serverAddress(), dir);
    }

    /**
     * What a client sees of a closed server: connect refused, the socket file gone, the port free again. Allows two
     * seconds before failing: while any test of this JVM starts a process (a forking worker, {@code openssl}, a child
     * JVM), the JDK's launch helper holds a copy of every open descriptor until it closes them before {@code exec}, so
     * a socket closed meanwhile stays bound, and even accepts, for those milliseconds (docs/forking.md). A socket the
     * server did not close stays for good and fails.
     */
    static void assertSocketGone(ServerKind kind, SocketAddress address, Path dir) throws Exception {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(2).toNanos();
        while (true) {
            try {
                assertSocketGoneNow(kind, address, dir);
                return;
            } catch (AssertionError | IOException stillHeld) {
                if (System.nanoTime() - deadline > 0) {
                    throw stillHeld;
                }
                Thread.sleep(50);
            }
        }
    }

    private static void assertSocketGoneNow(ServerKind kind, SocketAddress address, Path dir) throws IOException {
        if (address instanceof UnixDomainSocketAddress unix) {
            assertFalse(Files.exists(unix.getPath()), "the socket file was removed");
        }
        if (kind.isStream()) {
            Class<? extends Exception> refused = kind.isUnix() ? SocketException.class : ConnectException.class;
            assertThrows(refused, () -> Clients.connect(address).close());
        } else if (address instanceof InetSocketAddress inet) {
            assertEquals(inet.getPort(), rebind(inet), "the UDP port is free again");
        }
    }

    /**
     * Binds the port again and returns it. Test classes run in parallel and take ephemeral ports of their own, so one may
     * briefly hold the port just released: a few tries over a second tell that apart from a port this server kept.
     */
    private static int rebind(InetSocketAddress inet) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try (DatagramSocket rebind = new DatagramSocket(inet)) {
                return rebind.getLocalPort();
            } catch (java.net.BindException inUse) {
                if (attempt == 20) {
                    throw inUse;
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw inUse;
                }
            }
        }
    }

    /** The channel's own idea of its address, in the form users see. */
    static final class DatagramOrStream {
        static SocketAddress localAddress(BaseServer<?> server) throws IOException {
            SocketAddress raw = server.channel() instanceof java.nio.channels.NetworkChannel n ? n.getLocalAddress() : null;
            return io.portside.server.internal.DatagramChannels.fromChannelAddress(raw);
        }
    }
}
