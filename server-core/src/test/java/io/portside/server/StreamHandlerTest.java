package io.portside.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.portside.handler.api.LineInputStream;
import io.portside.handler.api.SocketWriter;
import io.portside.handler.api.StreamRequestHandler;
import io.portside.server.concurrency.ConcurrencyModel;

/** StreamRequestHandler over TCP and Unix stream (spec §11, §12): tests 23 and 24, cases 17 and 18. */
@Execution(ExecutionMode.CONCURRENT)
class StreamHandlerTest {

    /** Python's SOCK_MAX_SIZE: 16 MiB + 1. */
    private static final int SOCK_MAX_SIZE = 16 * 1024 * 1024 + 1;

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Test 23: the default wfile is the unbuffered SocketWriter on the same connection; both files end closed. */
    @ParameterizedTest
    @EnumSource(value = ServerKind.class, names = {"TCP4", "UNIX_STREAM"})
    void defaultFilesAreABufferedReaderAndAnUnbufferedWriter(ServerKind kind, @TempDir Path dir) throws Exception {
        AtomicReference<OutputStream> seenWfile = new AtomicReference<>();
        AtomicReference<LineInputStream> seenRfile = new AtomicReference<>();
        Errors errors = new Errors();
        StreamServer server = kind.streamServer(dir, ConcurrencyModel.synchronous(), errors, () -> new StreamRequestHandler() {
            @Override
            protected void handle() throws IOException {
                seenWfile.set(wfile);
                seenRfile.set(rfile);
                this.wfile.write(this.rfile.readLine());
            }
        }, true);
        try (Serving serving = Serving.start(server)) {
            assertArrayEquals(EchoMatrixTest.TEST_STR, Clients.exchange(kind, server.serverAddress(), dir, EchoMatrixTest.TEST_STR));
            serving.stop();
        }
        SocketWriter writer = assertInstanceOf(SocketWriter.class, seenWfile.get());
        assertTrue(writer.isClosed(), "finish closes wfile");
        assertTrue(seenRfile.get().isClosed(), "finish closes rfile");
        errors.assertNone();
    }

    /**
     * Test 24: (a) the handler writes a line and then waits for the client's answer, which the client sends only
     * after reading that line: a buffered writer would deadlock; (b) a 16 MiB + 1 write, read slowly, arrives
     * whole and is followed by EOF. (The signal-interruption part has no JVM counterpart: docs/semantics.md.)
     */
    @ParameterizedTest
    @EnumSource(value = ServerKind.class, names = {"TCP4", "TCP6", "UNIX_STREAM"})
    void unbufferedWriteThenBigWrite(ServerKind kind, @TempDir Path dir) throws Exception {
        AtomicReference<byte[]> received = new AtomicReference<>();
        Errors errors = new Errors();
        StreamServer server = kind.streamServer(dir, ConcurrencyModel.threading(), errors, () -> new StreamRequestHandler() {
            @Override
            protected void handle() throws IOException {
                wfile.write(ascii("write data\n"));
                received.set(rfile.readLine());
                wfile.write(new byte[SOCK_MAX_SIZE]);
            }
        }, true);
        try (Serving serving = Serving.start(server); Socket client = Clients.connect(server.serverAddress())) {
            InputStream in = client.getInputStream();
            assertArrayEquals(ascii("write data\n"), Clients.readLine(in));
            client.getOutputStream().write(ascii("client response\n"));
            assertEquals(100, in.readNBytes(100).length);
            Thread.sleep(20); // let the server's send block on a full buffer
            assertEquals(SOCK_MAX_SIZE - 100, Clients.drain(in), "every byte, then EOF");
            serving.stop();
        }
        assertArrayEquals(ascii("client response\n"), received.get());
        errors.assertNone();
    }

    /** Case 18: disableNagleAlgorithm applies to TCP and is ignored on Unix sockets, where the handler still runs. */
    @ParameterizedTest
    @EnumSource(value = ServerKind.class, names = {"TCP4", "UNIX_STREAM"})
    void noDelayIsIgnoredOnUnixSockets(ServerKind kind, @TempDir Path dir) throws Exception {
        AtomicReference<Boolean> applied = new AtomicReference<>();
        Errors errors = new Errors();
        StreamServer server = kind.streamServer(dir, ConcurrencyModel.synchronous(), errors, () -> new StreamRequestHandler() {
            {
                disableNagleAlgorithm = true;
            }

            @Override
            protected void handle() throws IOException {
                applied.set(connection.setNoDelay(true));
                wfile.write(rfile.readLine());
            }
        }, true);
        try (Serving serving = Serving.start(server)) {
            assertArrayEquals(EchoMatrixTest.TEST_STR, Clients.exchange(kind, server.serverAddress(), dir, EchoMatrixTest.TEST_STR));
            serving.stop();
        }
        assertEquals(!kind.isUnix(), applied.get());
        errors.assertNone();
    }

    /**
     * Case 17: a buffered wfile whose peer has gone: the flush error in finish is swallowed, close re-raises it, so
     * handleError runs; rfile is closed all the same.
     */
    @ParameterizedTest
    @EnumSource(value = ServerKind.class, names = {"TCP4", "UNIX_STREAM"})
    void bufferedFlushFailureIsReportedAndBothFilesClose(ServerKind kind, @TempDir Path dir) throws Exception {
        CountDownLatch clientGone = new CountDownLatch(1);
        AtomicReference<LineInputStream> seenRfile = new AtomicReference<>();
        Errors errors = new Errors();
        StreamServer server = kind.streamServer(dir, ConcurrencyModel.synchronous(), errors, () -> new StreamRequestHandler() {
            {
                wbufsize = -1;
            }

            @Override
            protected void handle() throws Exception {
                seenRfile.set(rfile);
                rfile.readLine();
                assertTrue(clientGone.await(10, TimeUnit.SECONDS));
                for (int i = 0; i < 64; i++) { // keep the last chunk in the buffer, unflushed
                    wfile.write(new byte[8191]);
                }
            }
        }, true);
        try (Serving serving = Serving.start(server)) {
            Socket client = Clients.connect(server.serverAddress());
            client.getOutputStream().write(EchoMatrixTest.TEST_STR);
            if (!kind.isUnix()) {
                client.setSoLinger(true, 0); // reset, so the server's next send fails at once
            }
            client.close();
            clientGone.countDown();
            assertInstanceOf(IOException.class, errors.awaitFirst());
            serving.stop();
        }
        assertTrue(seenRfile.get().isClosed(), "rfile is closed even though wfile.close() failed");
    }

    /** rbufsize=0 reads exactly one line and nothing after it; wbufsize>0 output is flushed by finish. */
    @ParameterizedTest
    @EnumSource(value = ServerKind.class, names = {"TCP4", "UNIX_STREAM"})
    void bufferSizesAreHonoured(ServerKind kind, @TempDir Path dir) throws Exception {
        AtomicInteger leftOver = new AtomicInteger(-1);
        Errors errors = new Errors();
        StreamServer server = kind.streamServer(dir, ConcurrencyModel.synchronous(), errors, () -> new StreamRequestHandler() {
            {
                rbufsize = 0;
                wbufsize = 64;
            }

            @Override
            protected void handle() throws IOException {
                byte[] line = rfile.readLine();
                leftOver.set(connection.inputStream().read()); // the byte after the line is still in the socket
                wfile.write(line);
            }
        }, true);
        try (Serving serving = Serving.start(server); Socket client = Clients.connect(server.serverAddress())) {
            client.getOutputStream().write(ascii("one\nZ"));
            assertArrayEquals(ascii("one\n"), Clients.readLine(client.getInputStream()));
            serving.stop();
        }
        assertEquals('Z', leftOver.get());
        errors.assertNone();
    }

    /**
     * available() counts what the socket holds unread, on both families, so "the client paused" does not depend on
     * how much rfile happened to read ahead (its buffer adapts).
     */
    @ParameterizedTest
    @EnumSource(value = ServerKind.class, names = {"TCP4", "UNIX_STREAM"})
    void availableCountsTheBytesWaitingInTheSocket(ServerKind kind, @TempDir Path dir) throws Exception {
        AtomicInteger seen = new AtomicInteger(-1);
        Errors errors = new Errors();
        StreamServer server = kind.streamServer(dir, ConcurrencyModel.synchronous(), errors, () -> new StreamRequestHandler() {
            @Override
            protected void handle() throws IOException, InterruptedException {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                int n;
                while ((n = connection.inputStream().available()) < 3000 && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                seen.set(n);
                rfile.read1(10); // 10 bytes buffered or handed out, the rest still counted
                seen.set(seen.get() * 100_000 + rfile.available());
                wfile.write(ascii("ok\n"));
            }
        }, true);
        try (Serving serving = Serving.start(server); Socket client = Clients.connect(server.serverAddress())) {
            client.getOutputStream().write(new byte[3000]);
            assertArrayEquals(ascii("ok\n"), Clients.readLine(client.getInputStream()));
            serving.stop();
        }
        assertEquals(3000 * 100_000 + 2990, seen.get());
        errors.assertNone();
    }
}
