package io.portside.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.portside.handler.api.ProtocolTransport;
import io.portside.handler.api.StreamProtocol;
import io.portside.handler.api.StreamProtocolFactory;

/**
 * Event-driven protocols ({@link ProtocolServing}) over real TCP and Unix sockets: echo, integrity of large transfers,
 * half-close both ways, flow control, and what a client that does not read, a protocol that throws or blocks, and a
 * closing server do to them and to the other connections.
 */
@Execution(ExecutionMode.CONCURRENT)
class ProtocolServingTest {

    /** Echoes what arrives, and pauses reading while the client does not take what it was sent (asyncio's pattern). */
    static class Echo implements StreamProtocol {
        ProtocolTransport transport;

        @Override
        public void connectionMade(ProtocolTransport t) {
            transport = t;
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            transport.write(data);
        }

        @Override
        public void pauseWriting() {
            transport.pauseReading();
        }

        @Override
        public void resumeWriting() {
            transport.resumeReading();
        }
    }

    /** A running server with its protocol serving; closes both. */
    private record Running(BaseServer<?> server, ProtocolServing serving, Serving loop) implements AutoCloseable {
        static Running tcp(StreamProtocolFactory factory) throws IOException {
            ProtocolServing serving = new ProtocolServing(factory);
            TcpServer server = new TcpServer(new InetSocketAddress("127.0.0.1", 0), serving, true);
            return new Running(server, serving, Serving.start(server));
        }

        static Running unix(Path dir, StreamProtocolFactory factory) throws IOException {
            ProtocolServing serving = new ProtocolServing(factory);
            UnixStreamServer server = new UnixStreamServer(dir.resolve("p.sock"), serving, true);
            return new Running(server, serving, Serving.start(server));
        }

        SocketAddress address() {
            return server.serverAddress();
        }

        @Override
        public void close() throws InterruptedException {
            loop.stop();
            loop.close();
            serving.close();
        }
    }

    private static SocketChannel connect(SocketAddress address) throws IOException {
        SocketChannel c = SocketChannel.open(address instanceof UnixDomainSocketAddress
                ? java.net.StandardProtocolFamily.UNIX : java.net.StandardProtocolFamily.INET);
        c.connect(address);
        return c;
    }

    private static Socket tcpClient(SocketAddress address) throws IOException {
        Socket s = new Socket();
        s.connect(address, 5000);
        s.setSoTimeout(10_000);
        return s;
    }

    private static void until(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within 10 s: " + what);
            }
            Thread.sleep(10);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "unix"})
    void fiftyClientsEachGetTheirOwnBytesBack(String kind, @TempDir Path dir) throws Exception {
        try (Running r = kind.equals("tcp") ? Running.tcp(Echo::new) : Running.unix(dir, Echo::new)) {
            List<CompletableFuture<Void>> clients = new ArrayList<>();
            for (int c = 0; c < 50; c++) {
                int id = c;
                clients.add(CompletableFuture.runAsync(() -> {
                    try (SocketChannel ch = connect(r.address())) {
                        for (int i = 0; i < 100; i++) {
                            byte[] line = ("client " + id + " line " + i + "\n").getBytes(StandardCharsets.US_ASCII);
                            ch.write(ByteBuffer.wrap(line));
                            ByteBuffer back = ByteBuffer.allocate(line.length);
                            while (back.hasRemaining()) {
                                if (ch.read(back) < 0) {
                                    throw new IOException("EOF after " + back.position() + " bytes");
                                }
                            }
                            assertArrayEquals(line, back.array());
                        }
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }));
            }
            CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            until(() -> r.serving().openConnections() == 0, "every connection ended after its client closed");
        }
    }

    @Test
    void eightMebibytesComeBackIntactWhileTheClientReadsSlowly() throws Exception {
        byte[] data = new byte[8 << 20];
        new Random(7).nextBytes(data);
        try (Running r = Running.tcp(Echo::new); Socket s = tcpClient(r.address())) {
            CompletableFuture<Void> send = CompletableFuture.runAsync(() -> {
                try {
                    OutputStream out = s.getOutputStream();
                    for (int off = 0; off < data.length; off += 100_000) {
                        out.write(data, off, Math.min(100_000, data.length - off));
                    }
                    s.shutdownOutput();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            InputStream in = s.getInputStream();
            ByteArrayOutputStream back = new ByteArrayOutputStream();
            byte[] chunk = new byte[4096];
            for (int n, reads = 0; (n = in.read(chunk)) >= 0; reads++) {
                back.write(chunk, 0, n);
                if (reads % 64 == 0) {
                    Thread.sleep(1); // a slow reader: the echo pauses reading, TCP holds the sender back
                }
            }
            send.get(30, TimeUnit.SECONDS);
            assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(data),
                    MessageDigest.getInstance("SHA-256").digest(back.toByteArray()), "every byte, in order, once");
        }
    }

    @Test
    void aClientsHalfCloseEndsTheConnectionAfterWhatWasWrittenOrKeepsItOpenWhenTheProtocolSays() throws Exception {
        StreamProtocolFactory farewell = () -> new Echo() {
            @Override
            public boolean eofReceived() {
                transport.write("bye\n".getBytes(StandardCharsets.US_ASCII));
                transport.close();
                return true;
            }
        };
        try (Running plain = Running.tcp(Echo::new); Running polite = Running.tcp(farewell)) {
            assertEquals("abc\n", exchangeThenHalfClose(plain.address(), "abc\n"), "echo, then EOF");
            assertEquals("abc\nbye\n", exchangeThenHalfClose(polite.address(), "abc\n"), "written after the client's EOF");
        }
    }

    private static String exchangeThenHalfClose(SocketAddress address, String text) throws IOException {
        try (Socket s = tcpClient(address)) {
            s.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
            s.shutdownOutput();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    @Test
    void aProtocolThatIgnoresFlowControlIsAbortedAtTheWriteLimitAndTheOthersAreServed() throws Exception {
        AtomicReference<Exception> lost = new AtomicReference<>();
        CountDownLatch ended = new CountDownLatch(1);
        StreamProtocolFactory careless = () -> new StreamProtocol() { // echoes, never pauses
            ProtocolTransport t;

            @Override
            public void connectionMade(ProtocolTransport transport) {
                t = transport;
            }

            @Override
            public void dataReceived(ByteBuffer data) {
                t.write(data);
            }

            @Override
            public void connectionLost(Exception cause) {
                lost.set(cause);
                ended.countDown();
            }
        };
        try (LogCapture log = new LogCapture(ProtocolServing.class, "bytes waiting");
             Running r = Running.tcp(careless);
             Socket hog = tcpClient(r.address())) {
            CompletableFuture.runAsync(() -> { // sends 16 MiB and never reads
                try {
                    byte[] block = new byte[64 * 1024];
                    for (int i = 0; i < 256; i++) {
                        hog.getOutputStream().write(block);
                    }
                } catch (IOException expected) {
                    // the server aborts the connection: the send fails
                }
            });
            assertTrue(ended.await(30, TimeUnit.SECONDS), "the connection was aborted");
            assertInstanceOf(IOException.class, lost.get(), "connectionLost says why");
            assertTrue(lost.get().getMessage().contains("bytes waited"), lost.get().getMessage());
            assertEquals("still served\n", exchangeThenHalfClose(r.address(), "still served\n"));
            until(() -> log.warnings().size() == 1, "one log line");
            assertTrue(log.warnings().get(0).contains("client that does not read"), log.warnings().get(0));
        }
    }

    @Test
    void aProtocolThatThrowsLosesItsConnectionWithTheReasonAndTheOthersAreServed() throws Exception {
        AtomicReference<Exception> lost = new AtomicReference<>();
        CountDownLatch ended = new CountDownLatch(1);
        StreamProtocolFactory brittle = () -> new Echo() {
            @Override
            public void dataReceived(ByteBuffer data) {
                if (data.get(0) == '!') {
                    throw new IllegalStateException("broken on purpose");
                }
                super.dataReceived(data);
            }

            @Override
            public void connectionLost(Exception cause) {
                if (cause != null) {
                    lost.set(cause);
                    ended.countDown();
                }
            }
        };
        try (LogCapture log = new LogCapture(ProtocolServing.class, "broken on purpose");
             Running r = Running.tcp(brittle);
             Socket good = tcpClient(r.address());
             Socket bad = tcpClient(r.address())) {
            bad.getOutputStream().write("!boom\n".getBytes(StandardCharsets.US_ASCII));
            assertTrue(ended.await(10, TimeUnit.SECONDS));
            assertEquals("broken on purpose", lost.get().getMessage());
            assertEquals(-1, bad.getInputStream().read(), "the client reads EOF");
            good.getOutputStream().write("fine\n".getBytes(StandardCharsets.US_ASCII));
            assertArrayEquals("fine\n".getBytes(StandardCharsets.US_ASCII), good.getInputStream().readNBytes(5));
            until(() -> log.warnings().size() == 1, "one log line");
        }
    }

    @Test
    void aProtocolThatBlocksItsLoopStallsOnlyItsOwnServer() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        StreamProtocolFactory blocking = () -> new Echo() {
            @Override
            public void dataReceived(ByteBuffer data) {
                try {
                    release.await(20, TimeUnit.SECONDS); // what a protocol must never do
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                super.dataReceived(data);
            }
        };
        try (Running stuck = Running.tcp(blocking); Running other = Running.tcp(Echo::new)) {
            List<Socket> held = new ArrayList<>();
            try {
                for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) { // one per loop of that server
                    Socket s = tcpClient(stuck.address());
                    held.add(s);
                    s.getOutputStream().write('x');
                }
                for (int i = 0; i < 20; i++) {
                    assertEquals("meanwhile " + i + "\n", exchangeThenHalfClose(other.address(), "meanwhile " + i + "\n"));
                }
                release.countDown();
                for (Socket s : held) {
                    assertEquals('x', s.getInputStream().read(), "served once released");
                }
            } finally {
                release.countDown();
                for (Socket s : held) {
                    s.close();
                }
            }
        }
    }

    @Test
    void closingTheServingEndsEveryConnectionAndTellsEachProtocol() throws Exception {
        CountDownLatch lostClean = new CountDownLatch(20);
        StreamProtocolFactory counting = () -> new Echo() {
            @Override
            public void connectionLost(Exception cause) {
                if (cause == null) {
                    lostClean.countDown();
                }
            }
        };
        Running r = Running.tcp(counting);
        List<Socket> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                Socket s = tcpClient(r.address());
                clients.add(s);
                s.getOutputStream().write('a');
                assertEquals('a', s.getInputStream().read());
            }
            r.close();
            assertTrue(lostClean.await(10, TimeUnit.SECONDS), "every protocol told connectionLost(null)");
            for (Socket s : clients) {
                assertEquals(-1, s.getInputStream().read(), "the client reads EOF");
            }
            assertEquals(0, r.serving().openConnections());
        } finally {
            for (Socket s : clients) {
                s.close();
            }
        }
    }

    @Test
    void idleConnectionsHoldNoThread() throws Exception {
        try (Running r = Running.tcp(Echo::new)) {
            List<Socket> idle = new ArrayList<>();
            try {
                for (int i = 0; i < 300; i++) {
                    Socket s = tcpClient(r.address());
                    idle.add(s);
                    s.getOutputStream().write('z');
                    assertEquals('z', s.getInputStream().read());
                }
                assertEquals(300, r.serving().openConnections());
                long threads = protocolThreads(r.address());
                assertTrue(threads >= 1 && threads <= Runtime.getRuntime().availableProcessors(),
                        "300 idle connections, " + threads + " threads: one per loop at most");
            } finally {
                for (Socket s : idle) {
                    s.close();
                }
            }
        }
    }

    @Test
    void pausedReadingLeavesBytesInTheSocketUntilResumed() throws Exception {
        AtomicReference<ProtocolTransport> transport = new AtomicReference<>();
        List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();
        StreamProtocolFactory pausing = () -> new StreamProtocol() {
            @Override
            public void connectionMade(ProtocolTransport t) {
                transport.set(t);
                t.pauseReading();
            }

            @Override
            public void dataReceived(ByteBuffer data) {
                received.add(StandardCharsets.US_ASCII.decode(data).toString());
            }
        };
        try (Running r = Running.tcp(pausing); Socket s = tcpClient(r.address())) {
            s.getOutputStream().write("held".getBytes(StandardCharsets.US_ASCII));
            until(() -> transport.get() != null, "connected");
            Thread.sleep(200); // what would have arrived by now, had reading not been paused
            assertEquals(List.of(), received);
            assertTrue(!transport.get().isReading());
            transport.get().resumeReading();
            until(() -> String.join("", received).equals("held"), "delivered once resumed");
        }
    }

    @Test
    void aFactoryThatThrowsClosesThatConnectionOnly() throws Exception {
        AtomicReference<Boolean> fail = new AtomicReference<>(true);
        StreamProtocolFactory flaky = () -> {
            if (fail.getAndSet(false)) {
                throw new IllegalStateException("no protocol today");
            }
            return new Echo();
        };
        try (Running r = Running.tcp(flaky)) {
            try (Socket refused = tcpClient(r.address())) {
                assertEquals(-1, refused.getInputStream().read(), "closed at once");
            }
            assertEquals("ok\n", exchangeThenHalfClose(r.address(), "ok\n"));
        }
    }

    /** The threads of this server's loops (platform threads, named after the server's address). */
    private static long protocolThreads(SocketAddress server) {
        String prefix = "portside-protocol-" + server + "-";
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith(prefix)).count();
    }

    @Test
    void writesFromAnotherThreadReachTheClient() throws Exception {
        AtomicReference<ProtocolTransport> made = new AtomicReference<>();
        try (Running r = Running.tcp(() -> new Echo() {
            @Override
            public void connectionMade(ProtocolTransport t) {
                super.connectionMade(t);
                made.set(t);
            }
        }); Socket s = tcpClient(r.address())) {
            until(() -> made.get() != null, "connected");
            Thread writer = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 1000; i++) {
                    made.get().write(("push " + i + "\n").getBytes(StandardCharsets.US_ASCII));
                }
                made.get().close();
            });
            String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            writer.join(10_000);
            assertEquals(1000, all.lines().count());
            assertTrue(all.startsWith("push 0\n") && all.endsWith("push 999\n"));
        }
    }
}
