package io.portside.server.host.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.portside.handler.api.Concurrency;
import io.portside.handler.api.DatagramRequest;
import io.portside.handler.api.StreamRequest;
import io.portside.handler.api.Transport;
import io.portside.server.AcceptedRequest;
import io.portside.server.RequestProcessor;
import io.portside.server.internal.ReuseOptions;

/**
 * {@code reuseport.sockets}: parsing and bounds, the count per transport, and on real loopback sockets a listener of
 * several SO_REUSEPORT sockets that all take datagrams and connections, release the port when closed, and keep
 * receiving while a request holds one socket's receiving thread ({@link InlineReceiver}).
 */
class ReusePortSocketsTest {

    private static final Path HOME = Path.of("/tmp");
    private static final String PID = "io.portside.listener~rp";
    private final List<ListenerSockets> bound = new ArrayList<>();
    private final List<AutoCloseable> clients = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : clients) {
            c.close();
        }
        bound.forEach(ListenerSockets::close);
    }

    private static ListenerSpec spec(String endpoint, String... keyValues) {
        Map<String, Object> props = new HashMap<>(Map.of("endpoint", endpoint, "handler", "echo"));
        for (int i = 0; i < keyValues.length; i += 2) {
            props.put(keyValues[i], keyValues[i + 1]);
        }
        return ListenerSpecs.explicit(PID, props, HOME);
    }

    // ------------------------------------------------------------------ the option

    @Test
    void aBadValueFailsTheListenerClosedWithTheReason() {
        assertEquals("'reuseport.sockets' must be at least 0: -1",
                assertThrows(IllegalArgumentException.class, () -> spec("udp://127.0.0.1:9000", "reuseport.sockets", "-1")).getMessage());
        assertEquals("'reuseport.sockets' must be at most 64: 65",
                assertThrows(IllegalArgumentException.class, () -> spec("udp://127.0.0.1:9000", "reuseport.sockets", "65")).getMessage());
        String words = assertThrows(IllegalArgumentException.class, () -> spec("udp://127.0.0.1:9000", "reuseport.sockets", "many"))
                .getMessage();
        assertTrue(words.startsWith("'reuseport.sockets'"), words);
    }

    @Test
    void theCountIsConfiguredOrTheTransportsOwnAndAUnixSocketIsAlwaysOne() {
        int cores = Runtime.getRuntime().availableProcessors();
        assertEquals(Math.max(1, Math.min(ReusePortSockets.MAX_AUTOMATIC_UDP, cores / 2)), spec("udp://127.0.0.1:9000").sockets());
        assertEquals(1, spec("tcp://127.0.0.1:9000").sockets());
        assertEquals(4, spec("tcp://127.0.0.1:9000", "reuseport.sockets", "4").sockets());
        assertEquals(1, spec("udp://127.0.0.1:9000", "reuseport.sockets", "1").sockets());
        assertEquals(1, spec("unix:/tmp/rp.sock", "reuseport.sockets", "4").sockets());
        assertEquals(1, spec("unixgram:/tmp/rp.sock", "reuseport.sockets", "4").sockets());
        assertEquals(1, ReusePortSockets.resolve(ReusePortSockets.AUTOMATIC, Transport.UNIX_DATAGRAM, Concurrency.VIRTUAL));
        assertEquals(1, spec("udp://127.0.0.1:9000", "concurrency", "sync").sockets(), "sync: one request at a time");
        assertEquals(3, spec("udp://127.0.0.1:9000", "concurrency", "sync", "reuseport.sockets", "3").sockets(), "unless asked");
    }

    @Test
    void changingTheCountNeedsANewSocketAndNothingElseDoes() {
        ListenerSpec two = spec("udp://127.0.0.1:9000", "reuseport.sockets", "2");
        assertTrue(two.needsRebind(spec("udp://127.0.0.1:9000", "reuseport.sockets", "3")));
        assertFalse(two.needsRebind(spec("udp://127.0.0.1:9000", "reuseport.sockets", "2", "drain.timeout", "1s")));
    }

    // ------------------------------------------------------------------ real sockets

    @Test
    void everySocketOfAUdpListenerReceivesAndTheirThreadsAnswerAll() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(ReuseOptions.reusePortSupported());
        ListenerSockets sockets = bind(spec("udp://127.0.0.1:0", "reuseport.sockets", "4"), echoing());
        assertEquals(4, sockets.count());
        InetSocketAddress address = (InetSocketAddress) sockets.first().serverAddress();
        int answered = 0;
        for (int i = 0; i < 64; i++) { // the kernel spreads by the sender's address: many senders reach every socket
            DatagramChannel client = client();
            client.send(ByteBuffer.wrap(("d" + i).getBytes(StandardCharsets.US_ASCII)), address);
            answered += ("d" + i).equals(receive(client)) ? 1 : 0;
        }
        assertEquals(64, answered);
        long[] received = sockets.received();
        assertEquals(64, Arrays.stream(received).sum(), Arrays.toString(received));
        assertTrue(Arrays.stream(received).filter(n -> n > 0).count() > 1, "one socket took all: " + Arrays.toString(received));
    }

    @Test
    void everySocketOfATcpListenerAccepts() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(ReuseOptions.reusePortSupported());
        ListenerSockets sockets = bind(spec("tcp://127.0.0.1:0", "reuseport.sockets", "3"), echoing());
        InetSocketAddress address = (InetSocketAddress) sockets.first().serverAddress();
        for (int i = 0; i < 64; i++) {
            Socket s = new Socket();
            clients.add(s);
            s.connect(address, 5000);
        }
        HostHarnessWait.until(() -> Arrays.stream(sockets.received()).sum() == 64, "64 connections accepted");
        long[] accepted = sockets.received();
        assertTrue(Arrays.stream(accepted).filter(n -> n > 0).count() > 1, "one socket took all: " + Arrays.toString(accepted));
    }

    @Test
    void closingTheListenerReleasesThePortForOneSocketWithoutReusePort() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(ReuseOptions.reusePortSupported());
        ListenerSockets udp = bind(spec("udp://127.0.0.1:0", "reuseport.sockets", "4"), echoing());
        ListenerSockets tcp = bind(spec("tcp://127.0.0.1:0", "reuseport.sockets", "4"), echoing());
        int udpPort = ((InetSocketAddress) udp.first().serverAddress()).getPort();
        int tcpPort = ((InetSocketAddress) tcp.first().serverAddress()).getPort();
        udp.close();
        tcp.close();
        udp.join(5000);
        tcp.join(5000);
        // a socket without SO_REUSEPORT binds only if none of the four is left
        try (DatagramChannel again = DatagramChannel.open()) {
            again.bind(new InetSocketAddress("127.0.0.1", udpPort));
        }
        try (ServerSocket again = new ServerSocket()) {
            again.bind(new InetSocketAddress("127.0.0.1", tcpPort));
        }
    }

    @Test
    void oneSocketIsTodaysSocketWithoutReusePort() throws Exception {
        ListenerSockets one = bind(spec("udp://127.0.0.1:0", "reuseport.sockets", "1"), echoing());
        assertEquals(1, one.count());
        assertFalse(((DatagramChannel) one.first().channel()).getOption(StandardSocketOptions.SO_REUSEPORT));
    }

    @Test
    void aRequestThatHoldsTheReceivingThreadDoesNotStopTheSocketReceiving() throws Exception {
        CountDownLatch othersAnswered = new CountDownLatch(20);
        AtomicInteger inline = new AtomicInteger();
        AtomicInteger relayed = new AtomicInteger();
        RequestProcessor<DatagramRequest> hostLike = accepted -> { // what InlineDatagrams does with the pipeline's serve stage
            InlineReceiver receiver = InlineReceiver.current();
            Runnable serve = () -> {
                try {
                    String text = new String(accepted.request().packet(), StandardCharsets.US_ASCII);
                    if (text.equals("slow")) {
                        othersAnswered.await(20, TimeUnit.SECONDS); // held until the others were answered meanwhile
                    }
                    reply(accepted, text);
                } catch (InterruptedException | IOException e) {
                    throw new IllegalStateException(e);
                } finally {
                    accepted.end();
                }
            };
            if (receiver != null) {
                inline.incrementAndGet();
                receiver.run(serve);
            } else {
                relayed.incrementAndGet();
                Thread.ofVirtual().start(serve);
            }
        };
        ListenerSockets one = bind(spec("udp://127.0.0.1:0", "reuseport.sockets", "1"), new Processors(AcceptedRequest::end, hostLike));
        SocketAddress address = one.first().serverAddress();
        DatagramChannel slow = client();
        slow.send(ByteBuffer.wrap("slow".getBytes(StandardCharsets.US_ASCII)), address);
        DatagramChannel others = client();
        for (int i = 0; i < 20; i++) {
            others.send(ByteBuffer.wrap(("n" + i).getBytes(StandardCharsets.US_ASCII)), address);
            assertEquals("n" + i, receive(others));
            othersAnswered.countDown();
        }
        assertEquals("slow", receive(slow), "the held request ends normally once released");
        assertTrue(relayed.get() > 0, "the relay took datagrams while the receiving thread was held");
        assertTrue(inline.get() > 0, "the receiving thread served the first one itself");
    }

    // ------------------------------------------------------------------ helpers

    private record Processors(RequestProcessor<StreamRequest> streams, RequestProcessor<DatagramRequest> datagrams) {
    }

    private static Processors echoing() {
        return new Processors(AcceptedRequest::end, accepted -> {
            try {
                reply(accepted, new String(accepted.request().packet(), StandardCharsets.US_ASCII));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } finally {
                accepted.end();
            }
        });
    }

    private static void reply(AcceptedRequest<DatagramRequest> accepted, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        accepted.request().socket().sendTo(bytes, 0, bytes.length, accepted.clientAddress());
    }

    private ListenerSockets bind(ListenerSpec spec, Processors processors)
            throws IOException {
        ListenerSockets sockets = ListenerSockets.bind(spec, processors.streams(), processors.datagrams());
        bound.add(sockets);
        sockets.serve(spec.name(), server -> {
            try {
                server.serveForever();
            } catch (IOException | IllegalStateException e) {
                // closed before it began: the listener's own runner (Listener.serve) checks isClosed the same way
            }
        });
        return sockets;
    }

    private DatagramChannel client() throws IOException {
        DatagramChannel c = DatagramChannel.open();
        c.bind(new InetSocketAddress("127.0.0.1", 0));
        clients.add(c);
        return c;
    }

    /** One reply, or fails after 10 s. */
    private static String receive(DatagramChannel c) throws IOException {
        c.socket().setSoTimeout(10_000);
        byte[] buffer = new byte[256];
        java.net.DatagramPacket packet = new java.net.DatagramPacket(buffer, buffer.length);
        c.socket().receive(packet);
        return new String(buffer, 0, packet.getLength(), StandardCharsets.US_ASCII);
    }

    /** Polls a condition for up to 10 s. */
    private static final class HostHarnessWait {
        static void until(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!condition.getAsBoolean()) {
                assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
                Thread.sleep(10);
            }
        }
    }
}
