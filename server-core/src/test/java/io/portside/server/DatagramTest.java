package io.portside.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.portside.handler.api.DatagramRequest;
import io.portside.handler.api.DatagramRequestHandler;
import io.portside.handler.api.Transport;
import io.portside.server.concurrency.ConcurrencyModel;

/** Datagram servers (spec §5, §6, §13): cases 5-8, the request's shape, and the receive buffer. */
@Execution(ExecutionMode.CONCURRENT)
class DatagramTest {

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Records every request's packet and socket, replies with the packet. */
    static final class Recorder {
        final List<byte[]> packets = new CopyOnWriteArrayList<>();
        final List<DatagramRequest> requests = new CopyOnWriteArrayList<>();

        DatagramRequestHandler newHandler() {
            return new DatagramRequestHandler() {
                @Override
                protected void handle() throws IOException {
                    requests.add(request);
                    packets.add(packet);
                    wfile.write(packet);
                }
            };
        }
    }

    /** Case 5: an empty datagram is dispatched, and a handler that writes nothing still sends an empty reply. */
    @ParameterizedTest
    @EnumSource(value = ServerKind.class, names = {"UDP4", "UDP6"})
    void emptyDatagramsAreHandledAndAnswered(ServerKind kind, @TempDir Path dir) throws Exception {
        Recorder recorder = new Recorder();
        Errors errors = new Errors();
        DatagramServer server = kind.datagramServer(dir, ConcurrencyModel.synchronous(), errors, recorder::newHandler, true);
        try (Serving serving = Serving.start(server); DatagramSocket client = Clients.datagramClient(server.serverAddress(), dir)) {
            Clients.send(client, server.serverAddress(), new byte[0]);
            assertArrayEquals(new byte[0], Clients.receiveFrom(client, server.serverAddress()));
            assertEquals(1, recorder.packets.size());
            serving.stop();
        }
        errors.assertNone();
    }

    /**
     * Case 5 on Unix datagram sockets: junixsocket neither sends zero-length datagrams nor reports receiving one
     * (it reads as "nothing there"), so an empty datagram is consumed without a request, and an empty reply is
     * not sent. The server goes on.
     */
    @Test
    void emptyUnixDatagramsAreNeitherHandledNorSent(@TempDir Path dir) throws Exception {
        Recorder recorder = new Recorder();
        Errors errors = new Errors();
        DatagramServer server = ServerKind.UNIX_DATAGRAM.datagramServer(dir, ConcurrencyModel.synchronous(), errors, () -> new DatagramRequestHandler() {
            @Override
            protected void handle() {
                recorder.packets.add(packet); // writes nothing: the reply would be empty
            }
        }, true);
        try (Serving serving = Serving.start(server); DatagramSocket client = Clients.datagramClient(server.serverAddress(), dir)) {
            client.setSoTimeout(200);
            Clients.send(client, server.serverAddress(), new byte[0]);
            Clients.send(client, server.serverAddress(), ascii("x"));
            assertThrows(SocketTimeoutException.class, () -> Clients.receiveFrom(client, server.serverAddress()),
                    "no empty reply on Unix datagram sockets");
            serving.stop();
        }
        assertEquals(List.of("x"), recorder.packets.stream().map(p -> new String(p, StandardCharsets.US_ASCII)).toList());
        errors.assertNone();
    }

    /** Case 6: a datagram over maxPacketSize is cut to it, silently; the next datagram is whole. */
    @ParameterizedTest
    @EnumSource(value = ServerKind.class, names = {"UDP4", "UNIX_DATAGRAM"})
    void longDatagramsAreTruncated(ServerKind kind, @TempDir Path dir) throws Exception {
        Recorder recorder = new Recorder();
        Errors errors = new Errors();
        DatagramServer server = kind.datagramServer(dir, ConcurrencyModel.synchronous(), errors, recorder::newHandler, true);
        assertEquals(8192, server.maxPacketSize(), "CPython's default");
        try (Serving serving = Serving.start(server); DatagramSocket client = Clients.datagramClient(server.serverAddress(), dir)) {
            byte[] big = new byte[10_000];
            Arrays.fill(big, (byte) 'x');
            Clients.send(client, server.serverAddress(), big);
            assertEquals(8192, Clients.receiveFrom(client, server.serverAddress()).length);

            server.setMaxPacketSize(4);
            Clients.send(client, server.serverAddress(), ascii("123456789"));
            assertArrayEquals(ascii("1234"), Clients.receiveFrom(client, server.serverAddress()));
            Clients.send(client, server.serverAddress(), ascii("ab"));
            assertArrayEquals(ascii("ab"), Clients.receiveFrom(client, server.serverAddress()), "the next datagram is unaffected");
            serving.stop();
        }
        assertEquals("ab", new String(recorder.packets.get(2), StandardCharsets.US_ASCII));
        assertEquals(1234, Integer.parseInt(new String(recorder.packets.get(1), StandardCharsets.US_ASCII)));
        assertThrows(IllegalArgumentException.class, () -> server.setMaxPacketSize(0));
        errors.assertNone();
    }

    /** The receive buffer is reused, but every request owns its packet: earlier packets are never overwritten. */
    @Test
    void packetsDoNotShareTheReceiveBuffer(@TempDir Path dir) throws Exception {
        Recorder recorder = new Recorder();
        DatagramServer server = ServerKind.UDP4.datagramServer(dir, ConcurrencyModel.threading(), new Errors(), recorder::newHandler, true);
        try (Serving serving = Serving.start(server); DatagramSocket client = Clients.datagramClient(server.serverAddress(), dir)) {
            for (String s : List.of("aaaa", "bb", "c")) {
                Clients.send(client, server.serverAddress(), ascii(s));
                Clients.receiveFrom(client, server.serverAddress());
            }
            serving.stop();
        }
        assertEquals(List.of("aaaa", "bb", "c"), recorder.packets.stream().map(p -> new String(p, StandardCharsets.US_ASCII)).sorted().toList());
    }

    /** §5: the request is the datagram plus the server's own socket, which replies from the server's address. */
    @ParameterizedTest
    @EnumSource(value = ServerKind.class, names = {"UDP4", "UDP6", "UNIX_DATAGRAM"})
    void requestCarriesTheServersSocket(ServerKind kind, @TempDir Path dir) throws Exception {
        Recorder recorder = new Recorder();
        DatagramServer server = kind.datagramServer(dir, ConcurrencyModel.virtualThreads(), new Errors(), recorder::newHandler, true);
        try (Serving serving = Serving.start(server)) {
            assertArrayEquals(EchoMatrixTest.TEST_STR, Clients.exchange(kind, server.serverAddress(), dir, EchoMatrixTest.TEST_STR));
            serving.stop();
        }
        DatagramRequest request = recorder.requests.get(0);
        assertEquals(server.serverAddress(), request.socket().localAddress());
        assertSame(server.transport(), request.socket().transport());
        assertEquals(kind.isUnix() ? Transport.UNIX_DATAGRAM : Transport.UDP, server.transport());
    }

    /** Case 7: a reply too large for UDP fails in finish and is reported; the server goes on. */
    @Test
    void oversizedReplyIsReported(@TempDir Path dir) throws Exception {
        Errors errors = new Errors();
        DatagramServer server = ServerKind.UDP4.datagramServer(dir, ConcurrencyModel.synchronous(), errors, () -> new DatagramRequestHandler() {
            @Override
            protected void handle() throws IOException {
                wfile.write(packet.length == 1 ? new byte[70_000] : packet);
            }
        }, true);
        try (Serving serving = Serving.start(server); DatagramSocket client = Clients.datagramClient(server.serverAddress(), dir)) {
            Clients.send(client, server.serverAddress(), ascii("x"));
            assertInstanceOf(IOException.class, errors.awaitFirst(), "EMSGSIZE");
            Clients.send(client, server.serverAddress(), ascii("ok"));
            assertArrayEquals(ascii("ok"), Clients.receiveFrom(client, server.serverAddress()));
            serving.stop();
        }
    }

    /**
     * Case 8: an unbound Unix client is served but cannot be answered: no reply, no error, one log line however
     * many such datagrams come. An empty datagram from it cannot be told from no datagram (junixsocket) and is dropped.
     */
    @Test
    void unboundUnixClientGetsNoReplyAndOneLogLine(@TempDir Path dir) throws Exception {
        Recorder recorder = new Recorder();
        Errors errors = new Errors();
        DatagramServer server = ServerKind.UNIX_DATAGRAM.datagramServer(dir, ConcurrencyModel.synchronous(), errors, recorder::newHandler, true);
        SocketAddress address = server.serverAddress();
        try (LogCapture log = new LogCapture(DatagramServer.class, address.toString());
                Serving serving = Serving.start(server);
                DatagramSocket unbound = Clients.unboundUnixDatagramClient();
                DatagramSocket bound = Clients.datagramClient(address, dir)) {
            unbound.setSoTimeout(200);
            Clients.send(unbound, address, ascii("first"));
            Clients.send(unbound, address, ascii("second"));
            Clients.send(unbound, address, new byte[0]);
            Clients.send(bound, address, ascii("bound"));
            assertArrayEquals(ascii("bound"), Clients.receiveFrom(bound, address), "the server goes on");
            assertThrows(SocketTimeoutException.class, () -> Clients.receiveFrom(unbound, address), "no reply");
            serving.stop();
            assertEquals(List.of("first", "second", "bound"),
                    recorder.packets.stream().map(p -> new String(p, StandardCharsets.US_ASCII)).toList());
            assertEquals(1, log.warnings().size(), "one log line: " + log.warnings());
            assertTrue(log.warnings().get(0).contains("unbound"));
        }
        errors.assertNone();
    }
}
