package io.portside.server.tls.internal;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import io.portside.handler.api.TlsInfo;
import io.portside.handler.api.Transport;
import io.portside.server.internal.ChannelStreamRequest;
import io.portside.server.tls.internal.TlsHandshakeException.Reason;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** TLS over a connection's blocking channel, against real clients over loopback sockets, TCP and Unix. */
class TlsStreamRequestTest {

    enum Family { TCP, UNIX }

    private static final Duration HANDSHAKE = Duration.ofSeconds(10);

    @TempDir
    static Path keysDir;
    @TempDir
    Path dir;
    private static TestKeys keys;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeAll
    static void makeKeys() throws Exception {
        keys = TestKeys.generate(keysDir);
    }

    @AfterEach
    void closeAll() throws Exception {
        threads.shutdownNow();
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    @Test
    void echoesOverTcpToTheJdksSslSocketAndReportsTheSession() throws Exception {
        Server server = server(Family.TCP, keys.server(false), e -> alpn(e, "portside/1"));
        Future<TlsInfo> served = threads.submit(() -> {
            TlsStreamRequest r = server.acceptAndHandshake();
            echo(r);
            return r.tls().orElseThrow();
        });
        try (SSLSocket client = sslSocket(server, keys.client(null), p -> p.setApplicationProtocols(new String[] {"portside/1"}))) {
            client.getOutputStream().write("hello\n".getBytes(US_ASCII));
            assertEquals("hello\n", new String(readN(client.getInputStream(), 6), US_ASCII));
            client.shutdownOutput();
            assertEquals(-1, client.getInputStream().read(), "the server's close_notify");
        }
        TlsInfo info = served.get(10, TimeUnit.SECONDS);
        assertEquals("TLSv1.3", info.protocol());
        assertTrue(info.cipherSuite().startsWith("TLS_"), info.cipherSuite());
        assertEquals("localhost", info.serverName().orElseThrow());
        assertEquals("portside/1", info.applicationProtocol().orElseThrow());
        assertTrue(info.clientCertificates().isEmpty());
        assertTrue(info.clientSubject().isEmpty());
    }

    @Test
    void echoesOverUnixToAnEngineClient() throws Exception {
        Server server = server(Family.UNIX, keys.server(false), e -> { });
        Future<long[]> served = threads.submit(() -> {
            TlsStreamRequest r = server.acceptAndHandshake();
            echo(r);
            return new long[] {r.bytesIn(), r.bytesOut()};
        });
        TlsStreamRequest client = engineClient(server, keys.client(null), null);
        assertEquals(Transport.UNIX_STREAM, client.transport());
        client.outputStream().write("over unix\n".getBytes(US_ASCII));
        assertEquals("over unix\n", new String(readN(client.inputStream(), 10), US_ASCII));
        client.shutdownOutput();
        assertEquals(-1, client.inputStream().read());
        assertArrayEquals(new long[] {10, 10}, served.get(10, TimeUnit.SECONDS), "plaintext counts");
        assertTrue(client.raw().bytesOut() > 10, "the raw connection counts the ciphertext");
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void largeTransfersBothWaysWithAReaderAndAWriterThread(Family family) throws Exception {
        Server server = server(family, keys.server(false), e -> { });
        Future<?> served = threads.submit(() -> {
            TlsStreamRequest r = server.acceptAndHandshake();
            echoWithTwoThreads(r);
            return null;
        });
        byte[] payload = new byte[6 * 1024 * 1024];
        new Random(7).nextBytes(payload);
        InputStream in;
        OutputStream out;
        Runnable endOutput;
        if (family == Family.TCP) {
            SSLSocket s = sslSocket(server, keys.client(null), p -> { });
            in = s.getInputStream();
            out = s.getOutputStream();
            endOutput = () -> quietly(s::shutdownOutput);
        } else {
            TlsStreamRequest c = engineClient(server, keys.client(null), null);
            in = c.inputStream();
            out = c.outputStream();
            endOutput = () -> quietly(c::shutdownOutput);
        }
        Future<?> sent = threads.submit(() -> {
            Random sizes = new Random(11);
            for (int off = 0; off < payload.length; ) { // small and large writes: records split and several per read
                int n = Math.min(payload.length - off, 1 + sizes.nextInt(sizes.nextBoolean() ? 100 : 70_000));
                out.write(payload, off, n);
                off += n;
            }
            endOutput.run();
            return null;
        });
        byte[] back = readAll(in);
        sent.get(30, TimeUnit.SECONDS);
        served.get(30, TimeUnit.SECONDS);
        assertEquals(payload.length, back.length);
        assertTrue(Arrays.equals(payload, back), "the echo differs");
    }

    @Test
    void theClientsCloseNotifyReadsAsTheEndAndTheServerMayStillWrite() throws Exception {
        Server server = server(Family.TCP, keys.server(false), e -> { });
        Future<String> served = threads.submit(() -> {
            TlsStreamRequest r = server.acceptAndHandshake();
            String got = new String(readAll(r.inputStream()), US_ASCII);
            r.outputStream().write("bye".getBytes(US_ASCII));
            r.shutdownOutput();
            return got;
        });
        try (SSLSocket client = sslSocket(server, keys.client(null), p -> { })) {
            client.getOutputStream().write("hi".getBytes(US_ASCII));
            client.shutdownOutput(); // TLS 1.3: close_notify, this side still reads
            assertEquals("hi", served.get(10, TimeUnit.SECONDS));
            assertEquals("bye", new String(readAll(client.getInputStream()), US_ASCII));
        }
    }

    @Test
    void aKeyUpdateAndRecordsSplitByteByByteAreRead() throws Exception {
        Server server = server(Family.TCP, keys.server(false), e -> { });
        Future<?> served = threads.submit(() -> {
            echo(server.acceptAndHandshake());
            return null;
        });
        Chopper chopper = new Chopper(server.address);
        try (SSLSocket client = (SSLSocket) keys.client(null).getSocketFactory().createSocket("localhost", chopper.port())) {
            for (int round = 0; round < 3; round++) {
                byte[] line = ("round " + round + "\n").getBytes(US_ASCII);
                client.getOutputStream().write(line);
                assertArrayEquals(line, readN(client.getInputStream(), line.length));
                client.startHandshake(); // TLS 1.3 on an established session: a KeyUpdate, which the server answers
            }
            client.shutdownOutput();
            assertEquals(-1, client.getInputStream().read());
        }
        served.get(10, TimeUnit.SECONDS);
    }

    @Test
    void anIdleConnectionHoldsNoBuffersWhileItsHandlerWaits() throws Exception {
        Server server = server(Family.TCP, keys.server(false), e -> { });
        CompletableFuture<TlsStreamRequest> accepted = new CompletableFuture<>();
        Future<?> served = threads.submit(() -> {
            TlsStreamRequest r = server.acceptAndHandshake();
            accepted.complete(r);
            echo(r);
            return null;
        });
        try (SSLSocket client = sslSocket(server, keys.client(null), p -> { })) {
            byte[] request = new byte[10_000]; // one record, larger than the echo's 8 KiB reads: unwrapped into a buffer
            Arrays.fill(request, (byte) 'r');
            client.getOutputStream().write(request);
            assertArrayEquals(request, readN(client.getInputStream(), request.length));
            TlsStreamRequest r = accepted.get(10, TimeUnit.SECONDS);
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (r.bufferedBytes() != 0 && System.nanoTime() < end) {
                Thread.sleep(10);
            }
            assertEquals(0, r.bufferedBytes(), "a connection waiting for its client holds no buffer");
            client.shutdownOutput();
            assertEquals(-1, client.getInputStream().read());
        }
        served.get(10, TimeUnit.SECONDS);
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void pythonsSslModuleEchoesOverBothFamilies(Family family) throws Exception {
        Assumptions.assumeTrue(python() != null, "no python3");
        Server server = server(family, keys.server(false), e -> alpn(e, "portside/1"));
        Future<?> served = threads.submit(() -> {
            echo(server.acceptAndHandshake());
            return null;
        });
        Path ca = dir.resolve("server.pem");
        Files.writeString(ca, "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(US_ASCII)).encodeToString(keys.certificate("server").getEncoded())
                + "\n-----END CERTIFICATE-----\n");
        String address = family == Family.TCP ? String.valueOf(((InetSocketAddress) server.address).getPort())
                : server.address.toString();
        Process p = new ProcessBuilder(python(), "-c", PYTHON_CLIENT, family.name(), address, ca.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), US_ASCII);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertEquals("ok TLSv1.3 portside/1", out.strip());
        served.get(10, TimeUnit.SECONDS);
    }

    private static final String PYTHON_CLIENT = """
            import socket, ssl, sys
            family, address, ca = sys.argv[1:4]
            ctx = ssl.create_default_context(cafile=ca)
            ctx.set_alpn_protocols(['portside/1'])
            if family == 'TCP':
                raw = socket.create_connection(('127.0.0.1', int(address)))
            else:
                raw = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                raw.connect(address)
            s = ctx.wrap_socket(raw, server_hostname='localhost')
            def echoed(data):
                s.sendall(data)
                got = bytearray()
                while len(got) < len(data):
                    b = s.recv(65536)
                    assert b, 'the server ended early'
                    got.extend(b)
                assert bytes(got) == data
            for i in range(50):
                echoed(b'line %d\\n' % i)
            blob = bytes(range(256)) * 64
            for i in range(64):
                echoed(blob)
            version, alpn = s.version(), s.selected_alpn_protocol()
            s.unwrap()
            print('ok', version, alpn)
            """;

    private static String python() {
        for (String candidate : List.of("/usr/bin/python3", "/usr/local/bin/python3")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        return null;
    }

    @Test
    void tls12EchoesThroughAClientRenegotiationAndClosesBothWays() throws Exception {
        Server server = server(Family.TCP, keys.server(false), e -> { });
        Future<String> served = threads.submit(() -> {
            TlsStreamRequest r = server.acceptAndHandshake();
            echoWithTwoThreads(r);
            return r.tls().orElseThrow().protocol();
        });
        try (SSLSocket client = sslSocket(server, keys.client(null), p -> p.setProtocols(new String[] {"TLSv1.2"}))) {
            byte[] payload = new byte[2 * 1024 * 1024];
            new Random(3).nextBytes(payload);
            Future<?> sent = threads.submit(() -> {
                client.getOutputStream().write(payload, 0, payload.length / 2);
                client.startHandshake(); // TLS 1.2: a renegotiation, in the middle of the stream
                client.getOutputStream().write(payload, payload.length / 2, payload.length - payload.length / 2);
                return null;
            });
            byte[] back = readN(client.getInputStream(), payload.length);
            sent.get(30, TimeUnit.SECONDS);
            // TLS 1.2 has no half-close: a close_notify closes both ways, so the client sends it only once all came back
            client.shutdownOutput();
            assertEquals(-1, client.getInputStream().read());
            assertEquals("TLSv1.2", served.get(10, TimeUnit.SECONDS));
            assertEquals(payload.length, back.length);
            assertTrue(Arrays.equals(payload, back), "the echo differs");
        }
    }

    @Test
    void aPlaintextClientIsToldApartAndClosed() throws Exception {
        Server server = server(Family.TCP, keys.server(false), e -> { });
        Future<TlsHandshakeException> failed = threads.submit(server::acceptAndFail);
        try (Socket plain = new Socket()) {
            plain.connect(server.address);
            plain.getOutputStream().write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(US_ASCII));
            TlsHandshakeException e = failed.get(10, TimeUnit.SECONDS);
            assertEquals(Reason.PLAINTEXT_CLIENT, e.reason(), e.describe());
            assertTrue(e.describe().startsWith("plaintext client"), e.describe());
            plain.setSoTimeout(5000);
            assertConnectionEnded(plain.getInputStream());
        }
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void aSilentClientTimesOutWithinTheHandshakeTimeout(Family family) throws Exception {
        Server server = server(family, keys.server(false), e -> { });
        SocketChannel silent = SocketChannel.open(server.address);
        open.add(silent);
        TlsStreamRequest r = server.accept();
        long start = System.nanoTime();
        TlsHandshakeException e = assertThrows(TlsHandshakeException.class, () -> r.handshake(Duration.ofMillis(300)));
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(Reason.TIMEOUT, e.reason(), e.describe());
        assertTrue(took >= 290 && took < 300 + 250, "timed out after " + took + " ms");
        assertTrue(e.describe().contains("tls.handshake.timeout"), e.describe());
        assertTrue(!r.isOpen());
    }

    @Test
    void aClientThatResetsDuringTheHandshakeIsGone() throws Exception {
        Server server = server(Family.TCP, keys.server(false), e -> { });
        Future<TlsHandshakeException> failed = threads.submit(server::acceptAndFail);
        Socket s = new Socket();
        s.connect(server.address);
        s.setSoLinger(true, 0);
        s.close();
        assertEquals(Reason.CLIENT_GONE, failed.get(10, TimeUnit.SECONDS).reason());
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void mutualTlsReportsTheVerifiedChainAndSubject(Family family) throws Exception {
        Server server = server(family, keys.server(true), e -> e.setNeedClientAuth(true));
        Future<TlsInfo> served = threads.submit(() -> {
            TlsStreamRequest r = server.acceptAndHandshake();
            echo(r);
            return r.tls().orElseThrow();
        });
        if (family == Family.TCP) {
            try (SSLSocket client = sslSocket(server, keys.client("client"), p -> { })) {
                client.getOutputStream().write('x');
                assertEquals('x', client.getInputStream().read());
            }
        } else {
            TlsStreamRequest client = engineClient(server, keys.client("client"), null);
            client.outputStream().write('x');
            assertEquals('x', client.inputStream().read());
            client.shutdownOutput();
            assertEquals(-1, client.inputStream().read());
        }
        TlsInfo info = served.get(10, TimeUnit.SECONDS);
        assertEquals(1, info.clientCertificates().size());
        assertEquals(keys.certificate("client"), info.clientCertificates().get(0));
        assertEquals("CN=client,O=Portside Test", info.clientSubject().orElseThrow());
    }

    @Test
    void aClientCertificateFromAnUnknownCaIsRefused() throws Exception {
        assertEquals(Reason.UNKNOWN_CA, clientAuthFailure("stranger"));
    }

    @Test
    void noClientCertificateWhenOneIsRequiredIsRefused() throws Exception {
        assertEquals(Reason.NO_CLIENT_CERTIFICATE, clientAuthFailure(null));
    }

    @Test
    void aTls12ClientAgainstATls13OnlyServerIsAProtocolMismatch() throws Exception {
        Server server = server(Family.TCP, keys.server(false), e -> e.setEnabledProtocols(new String[] {"TLSv1.3"}));
        Future<TlsHandshakeException> failed = threads.submit(server::acceptAndFail);
        try (SSLSocket client = sslSocket(server, keys.client(null), p -> p.setProtocols(new String[] {"TLSv1.2"}), false)) {
            IOException seen = assertThrows(IOException.class, client::startHandshake);
            assertTrue(seen.getMessage().contains("protocol_version") || seen.getMessage().contains("handshake_failure"),
                    "the client hears the server's alert: " + seen);
        }
        TlsHandshakeException e = failed.get(10, TimeUnit.SECONDS);
        assertEquals(Reason.PROTOCOL_MISMATCH, e.reason(), e.describe());
    }

    /** The server requires a client certificate; the client offers {@code key}'s (null: none). */
    private Reason clientAuthFailure(String key) throws Exception {
        Server server = server(Family.TCP, keys.server(true), e -> e.setNeedClientAuth(true));
        Future<TlsHandshakeException> failed = threads.submit(server::acceptAndFail);
        try (SSLSocket client = sslSocket(server, keys.client(key), p -> { }, false)) {
            client.startHandshake(); // TLS 1.3: the client's side is done before the server judges its certificate
            client.setSoTimeout(5000);
            assertThrows(IOException.class, () -> client.getInputStream().read(), "the client hears the alert");
        } catch (IOException alreadyRefused) {
            // the alert came during the client's handshake
        }
        TlsHandshakeException e = failed.get(10, TimeUnit.SECONDS);
        return e.reason();
    }

    // ------------------------------------------------------------------ fixtures

    private static void alpn(SSLEngine engine, String protocol) {
        SSLParameters p = engine.getSSLParameters();
        p.setApplicationProtocols(new String[] {protocol});
        engine.setSSLParameters(p);
    }

    private final class Server {
        final ServerSocketChannel listener;
        final SocketAddress address;
        final Family family;
        final SSLContext context;
        final Consumer<SSLEngine> setup;

        Server(Family family, SSLContext context, Consumer<SSLEngine> setup) throws IOException {
            this.family = family;
            this.context = context;
            this.setup = setup;
            if (family == Family.TCP) {
                listener = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
            } else {
                Path path = Files.createTempFile(dir, "s", ".sock");
                Files.delete(path);
                listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(UnixDomainSocketAddress.of(path));
            }
            address = listener.getLocalAddress();
            open.add(listener);
        }

        TlsStreamRequest accept() throws IOException {
            ChannelStreamRequest raw = new ChannelStreamRequest(listener.accept(),
                    family == Family.TCP ? Transport.TCP : Transport.UNIX_STREAM);
            open.add(raw);
            SSLEngine engine = context.createSSLEngine();
            engine.setUseClientMode(false);
            setup.accept(engine);
            return new TlsStreamRequest(raw, engine);
        }

        TlsStreamRequest acceptAndHandshake() throws IOException {
            TlsStreamRequest r = accept();
            r.handshake(HANDSHAKE);
            return r;
        }

        /** Accepts one connection whose handshake must fail, and closes it as the host does. */
        TlsHandshakeException acceptAndFail() throws IOException {
            TlsStreamRequest r = accept();
            try {
                r.handshake(HANDSHAKE);
            } catch (TlsHandshakeException e) {
                r.close();
                return e;
            }
            r.close();
            throw new AssertionError("the handshake succeeded");
        }
    }

    private Server server(Family family, SSLContext context, Consumer<SSLEngine> setup) throws IOException {
        return new Server(family, context, setup);
    }

    private SSLSocket sslSocket(Server server, SSLContext context, Consumer<SSLParameters> params) throws IOException {
        return sslSocket(server, context, params, true);
    }

    private SSLSocket sslSocket(Server server, SSLContext context, Consumer<SSLParameters> params, boolean handshake)
            throws IOException {
        InetSocketAddress at = (InetSocketAddress) server.address;
        SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket("localhost", at.getPort());
        open.add(s);
        SSLParameters p = s.getSSLParameters();
        p.setServerNames(List.of(new SNIHostName("localhost")));
        params.accept(p);
        s.setSSLParameters(p);
        if (handshake) {
            s.startHandshake();
        }
        return s;
    }

    /** A client of our own over a Unix (or TCP) channel: a client-mode engine in the same stream class. */
    private TlsStreamRequest engineClient(Server server, SSLContext context, String serverName) throws IOException {
        SocketChannel ch = SocketChannel.open(server.address);
        ChannelStreamRequest raw = new ChannelStreamRequest(ch, server.family == Family.TCP ? Transport.TCP : Transport.UNIX_STREAM);
        open.add(raw);
        SSLEngine engine = context.createSSLEngine("localhost", 0);
        engine.setUseClientMode(true);
        TlsStreamRequest client = new TlsStreamRequest(raw, engine);
        client.handshake(HANDSHAKE);
        return client;
    }

    private static void echo(TlsStreamRequest r) throws IOException {
        byte[] b = new byte[8192];
        int n;
        while ((n = r.inputStream().read(b)) > 0) {
            r.outputStream().write(b, 0, n);
        }
        r.shutdownOutput();
    }

    /** A reader thread hands what it reads to a writer thread: wrap and unwrap from two threads at once. */
    private void echoWithTwoThreads(TlsStreamRequest r) throws Exception {
        BlockingQueue<byte[]> chunks = new ArrayBlockingQueue<>(4);
        Future<?> writer = threads.submit(() -> {
            for (byte[] chunk; (chunk = chunks.take()).length > 0; ) {
                r.outputStream().write(chunk);
            }
            r.shutdownOutput();
            return null;
        });
        byte[] b = new byte[20_000];
        int n;
        while ((n = r.inputStream().read(b)) > 0) {
            while (!chunks.offer(Arrays.copyOf(b, n), 100, TimeUnit.MILLISECONDS)) {
                if (writer.isDone()) {
                    writer.get(); // throws what ended it
                }
            }
        }
        chunks.put(new byte[0]);
        writer.get(30, TimeUnit.SECONDS);
    }

    private static byte[] readN(InputStream in, int n) throws IOException {
        byte[] b = in.readNBytes(n);
        assertEquals(n, b.length, "the stream ended early");
        return b;
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] b = new byte[32768];
        for (int n; (n = in.read(b)) >= 0; ) {
            all.write(b, 0, n);
        }
        return all.toByteArray();
    }

    private static void assertConnectionEnded(InputStream in) {
        try {
            byte[] b = new byte[512];
            while (in.read(b) >= 0) {
                // an alert, if the JDK made one, then the end
            }
        } catch (java.net.SocketTimeoutException e) {
            throw new AssertionError("the connection stayed open", e);
        } catch (IOException reset) {
            // closed with data unread: a reset, which ends it as well
        }
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private static void quietly(IoAction a) {
        try {
            a.run();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A TCP relay that forwards the client's bytes a few at a time, so the server sees its records split across reads. */
    private final class Chopper {
        private final ServerSocketChannel front;

        Chopper(SocketAddress backend) throws IOException {
            front = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
            open.add(front);
            threads.submit(() -> {
                Socket in = front.socket().accept();
                Socket out = new Socket();
                out.connect(backend);
                out.setTcpNoDelay(true);
                open.add(in);
                open.add(out);
                threads.submit(() -> relay(out.getInputStream(), in.getOutputStream(), 1 << 16, in));
                relay(in.getInputStream(), out.getOutputStream(), 7, out);
                return null;
            });
        }

        int port() {
            return ((InetSocketAddress) front.socket().getLocalSocketAddress()).getPort();
        }

        private Void relay(InputStream from, OutputStream to, int piece, Socket toSocket) throws IOException, InterruptedException {
            byte[] b = new byte[piece];
            for (int n; (n = from.read(b)) >= 0; ) {
                to.write(b, 0, n);
                to.flush();
                if (piece < 100) {
                    Thread.sleep(1); // let each piece go out on its own
                }
            }
            toSocket.shutdownOutput();
            return null;
        }
    }
}
