package io.portside.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.portside.handler.api.DatagramRequest;
import io.portside.handler.api.DatagramRequestHandler;
import io.portside.handler.api.ServerExit;
import io.portside.handler.api.StreamRequest;
import io.portside.handler.api.StreamRequestHandler;
import io.portside.server.concurrency.ConcurrencyModel;

/**
 * Where errors go (spec §14): CPython's ErrorHandlerTest (tests 17-20), test 26, and cases 1-4, 14 and 24.
 * In every case the client must see the connection end.
 */
@Execution(ExecutionMode.CONCURRENT)
class ErrorRoutingTest {

    private static final byte[] LINE = EchoMatrixTest.TEST_STR;

    /** CPython's BadHandler: logs that it was called, then throws what the test asks for. */
    static final class BadHandler extends StreamRequestHandler {
        private final List<String> log;
        private final Throwable toThrow;

        BadHandler(List<String> log, Throwable toThrow) {
            this.log = log;
            this.toThrow = toThrow;
        }

        @Override
        protected void handle() throws Exception {
            log.add("Handler called");
            if (toThrow instanceof Exception e) {
                throw e;
            }
            throw (Error) toThrow;
        }
    }

    /** CPython's BaseErrorTestServer: handleError logs "Error handled"; shutdownRequest signals the end. */
    static class ErrorTestServer extends TcpServer {
        final List<String> log = new CopyOnWriteArrayList<>();
        final List<Thread> errorThreads = new CopyOnWriteArrayList<>();
        final CountDownLatch shutDown = new CountDownLatch(1);
        private final Throwable toThrow;

        ErrorTestServer(ConcurrencyModel model, Throwable toThrow) throws IOException {
            super(new InetSocketAddress("127.0.0.1", 0), () -> null, model, true);
            this.toThrow = toThrow;
        }

        @Override
        protected void finishRequest(StreamRequest request, SocketAddress clientAddress) throws Exception {
            new BadHandler(log, toThrow).run(request, clientAddress, this);
        }

        @Override
        protected void handleError(StreamRequest request, SocketAddress clientAddress, Throwable error) {
            errorThreads.add(Thread.currentThread());
            log.add("Error handled");
        }

        @Override
        protected void shutdownRequest(StreamRequest request) {
            super.shutdownRequest(request);
            shutDown.countDown();
        }

        /** Connects and closes one client, then handleRequest(), as BaseErrorTestServer's constructor does. */
        void oneRequest() throws IOException {
            try (Socket client = Clients.connect(serverAddress())) {
                setTimeout(Duration.ofSeconds(10));
                handleRequest();
                client.setSoTimeout(10_000);
                assertEquals(-1, client.getInputStream().read(), "the client sees EOF");
            }
        }

        void awaitDone() throws InterruptedException {
            assertTrue(shutDown.await(10, TimeUnit.SECONDS), "the request was shut down");
        }
    }

    /** Tests 17 and 19 (plus pool and virtual): an Exception reaches handleError once, the caller sees nothing. */
    @ParameterizedTest
    @EnumSource(Model.class)
    void exceptionIsHandled(Model model) throws Exception {
        try (ErrorTestServer server = new ErrorTestServer(model.create(), new IllegalArgumentException("Test error"))) {
            server.oneRequest();
            server.awaitDone();
            server.serverClose(); // joins the worker, as CPython's wait_done
            assertEquals(List.of("Handler called", "Error handled"), server.log);
            if (model == Model.SYNC) {
                assertSame(Thread.currentThread(), server.errorThreads.get(0));
            } else {
                assertNotSame(Thread.currentThread(), server.errorThreads.get(0), "handleError runs in the worker");
            }
        }
    }

    /** Test 18: an Error (ServerExit, Python's SystemExit) skips handleError and propagates out of handleRequest. */
    @Test
    void errorPropagatesFromASynchronousServer() throws Exception {
        try (ErrorTestServer server = new ErrorTestServer(ConcurrencyModel.synchronous(), new ServerExit("Test error"))) {
            assertThrows(ServerExit.class, server::oneRequest);
            server.awaitDone();
            assertEquals(List.of("Handler called"), server.log);
        }
    }

    /** Test 20 (plus pool and virtual): the Error reaches the worker thread's uncaught-exception handler, not handleError. */
    @ParameterizedTest
    @EnumSource(value = Model.class, names = {"THREADING", "POOL", "VIRTUAL"})
    void errorReachesTheWorkersUncaughtExceptionHandler(Model model) throws Exception {
        AtomicReference<Throwable> uncaught = new AtomicReference<>();
        CountDownLatch reached = new CountDownLatch(1);
        ServerExit exit = new ServerExit("Test error") {
            private static final long serialVersionUID = 1L;
        };
        try (ErrorTestServer server = new ErrorTestServer(model.create(), exit) {
            @Override
            protected void finishRequest(StreamRequest request, SocketAddress clientAddress) throws Exception {
                Thread.currentThread().setUncaughtExceptionHandler((t, e) -> {
                    uncaught.set(e);
                    reached.countDown();
                });
                super.finishRequest(request, clientAddress);
            }
        }) {
            server.oneRequest();
            server.awaitDone();
            assertTrue(reached.await(10, TimeUnit.SECONDS), "the uncaught-exception handler ran");
            assertSame(exit, uncaught.get());
            server.serverClose();
            assertEquals(List.of("Handler called"), server.log);
        }
    }

    /** Test 26 (Issue #26309) and case 1: a rejected request is shut down exactly once, and the client reads EOF. */
    @ParameterizedTest
    @EnumSource(Model.class)
    void rejectedRequestIsShutDownOnce(Model model) throws Exception {
        AtomicInteger shutdowns = new AtomicInteger();
        AtomicInteger handled = new AtomicInteger();
        try (TcpServer server = new TcpServer(new InetSocketAddress("127.0.0.1", 0), () -> {
            handled.incrementAndGet();
            return new Handlers.LineEcho();
        }, model.create(), true) {
            @Override
            protected boolean verifyRequest(StreamRequest request, SocketAddress clientAddress) {
                return false;
            }

            @Override
            protected void shutdownRequest(StreamRequest request) {
                shutdowns.incrementAndGet();
                super.shutdownRequest(request);
            }
        }; Socket client = Clients.connect(server.serverAddress())) {
            server.setTimeout(Duration.ofSeconds(10));
            server.handleRequest();
            assertEquals(-1, client.getInputStream().read(), "a rejected client reads EOF");
            assertEquals(1, shutdowns.get());
            assertEquals(0, handled.get());
        }
    }

    /** Case 1 for datagrams: a rejected datagram is dropped without a reply. */
    @ParameterizedTest
    @EnumSource(value = ServerKind.class, names = {"UDP4", "UNIX_DATAGRAM"})
    void rejectedDatagramGetsNoReply(ServerKind kind, @TempDir Path dir) throws Exception {
        AtomicInteger verified = new AtomicInteger();
        DatagramServer server = kind == ServerKind.UDP4
                ? new UdpServer(new InetSocketAddress("127.0.0.1", 0), Handlers.DatagramEcho::new, ConcurrencyModel.synchronous(), true) {
                    @Override
                    protected boolean verifyRequest(DatagramRequest request, SocketAddress clientAddress) {
                        return verified.incrementAndGet() > 1; // reject the first datagram only
                    }
                }
                : new UnixDatagramServer(dir.resolve("r.sock"), Handlers.DatagramEcho::new, ConcurrencyModel.synchronous(), true) {
                    @Override
                    protected boolean verifyRequest(DatagramRequest request, SocketAddress clientAddress) {
                        return verified.incrementAndGet() > 1;
                    }
                };
        try (Serving serving = Serving.start(server); DatagramSocket client = Clients.datagramClient(server.serverAddress(), dir)) {
            Clients.send(client, server.serverAddress(), "dropped\n".getBytes(StandardCharsets.US_ASCII));
            Clients.send(client, server.serverAddress(), LINE);
            assertArrayEquals(LINE, Clients.receiveFrom(client, server.serverAddress()), "only the accepted datagram is answered");
            serving.stop();
        }
    }

    /** Case 3: verifyRequest throwing is reported, the connection closed, and the server goes on (CPython leaks and stops). */
    @ParameterizedTest
    @EnumSource(Model.class)
    void verifyRequestThrowingIsReportedAndClosed(Model model, @TempDir Path dir) throws Exception {
        Errors errors = new Errors();
        AtomicInteger calls = new AtomicInteger();
        TcpServer server = new TcpServer(new InetSocketAddress("127.0.0.1", 0), Handlers.LineEcho::new, model.create(), true) {
            @Override
            protected boolean verifyRequest(StreamRequest request, SocketAddress clientAddress) {
                if (calls.incrementAndGet() == 1) {
                    throw new IllegalStateException("verify failed");
                }
                return true;
            }

            @Override
            protected void handleError(StreamRequest request, SocketAddress client, Throwable error) {
                errors.add(error);
            }
        };
        try (Serving serving = Serving.start(server)) {
            try (Socket client = Clients.connect(server.serverAddress())) {
                assertEquals(-1, client.getInputStream().read(), "the connection is closed");
            }
            assertEquals("verify failed", errors.awaitFirst().getMessage());
            assertArrayEquals(LINE, Clients.exchange(ServerKind.TCP4, server.serverAddress(), dir, LINE), "the server goes on");
            serving.stop();
        }
    }

    /** Case 3: handleError throwing is logged, the request is still shut down, and the server goes on. */
    @ParameterizedTest
    @EnumSource(Model.class)
    void handleErrorThrowingIsLoggedAndTheRequestClosed(Model model, @TempDir Path dir) throws Exception {
        AtomicInteger requests = new AtomicInteger();
        TcpServer server = new TcpServer(new InetSocketAddress("127.0.0.1", 0), () -> new StreamRequestHandler() {
            @Override
            protected void handle() throws IOException {
                if (requests.incrementAndGet() == 1) {
                    throw new IOException("handler failed");
                }
                wfile.write(rfile.readLine());
            }
        }, model.create(), true) {
            @Override
            protected void handleError(StreamRequest request, SocketAddress client, Throwable error) {
                throw new IllegalStateException("handleError failed too");
            }
        };
        String marker = String.valueOf(server.serverAddress().getPort());
        try (LogCapture log = new LogCapture(BaseServer.class, marker); Serving serving = Serving.start(server)) {
            try (Socket client = Clients.connect(server.serverAddress())) {
                assertEquals(-1, client.getInputStream().read(), "the request was still shut down");
            }
            assertArrayEquals(LINE, Clients.exchange(ServerKind.TCP4, server.serverAddress(), dir, LINE), "the server goes on");
            serving.stop();
            assertEquals(1, log.warnings().size(), "one log line: " + log.warnings());
            assertTrue(log.warnings().get(0).contains("handleError failed"));
        }
    }

    /** Case 2: bytes written before the exception reach the client, then EOF; the server goes on. */
    @ParameterizedTest
    @EnumSource(value = ServerKind.class, names = {"TCP4", "UNIX_STREAM"})
    void exceptionMidStreamDeliversThePartialReplyThenEof(ServerKind kind, @TempDir Path dir) throws Exception {
        Errors errors = new Errors();
        StreamServer server = kind.streamServer(dir, ConcurrencyModel.synchronous(), errors, () -> new StreamRequestHandler() {
            @Override
            protected void handle() throws IOException {
                wfile.write("partial\n".getBytes(StandardCharsets.US_ASCII));
                throw new IOException("boom");
            }
        }, true);
        try (Serving serving = Serving.start(server); Socket client = Clients.connect(server.serverAddress())) {
            InputStream in = client.getInputStream();
            assertArrayEquals("partial\n".getBytes(StandardCharsets.US_ASCII), in.readAllBytes(), "partial bytes, then EOF");
            assertEquals("boom", errors.awaitFirst().getMessage());
            serving.stop();
        }
    }

    /** Case 24: a handler that returns without reading: the client still reads EOF (its unread data may cause a reset). */
    @ParameterizedTest
    @EnumSource(Model.class)
    void handlerReturningEarlyEndsTheConnection(Model model) throws Exception {
        Errors errors = new Errors();
        StreamServer server = ServerKind.TCP4.streamServer(null, model.create(), errors, () -> new StreamRequestHandler() {
        }, true);
        try (Serving serving = Serving.start(server); Socket client = Clients.connect(server.serverAddress())) {
            int first;
            try {
                first = client.getInputStream().read();
            } catch (java.net.SocketException reset) {
                first = -1;
            }
            assertEquals(-1, first);
            serving.stop();
        }
        errors.assertNone();
    }

    /** Case 14: a full pool refuses the connection at once (the client reads EOF) and logs one line. */
    @Test
    void fullPoolClosesTheConnectionAndLogsOnce(@TempDir Path dir) throws Exception {
        CountDownLatch busy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        TcpServer server = new TcpServer(new InetSocketAddress("127.0.0.1", 0), () -> new StreamRequestHandler() {
            @Override
            protected void handle() throws Exception {
                busy.countDown();
                release.await(10, TimeUnit.SECONDS);
                wfile.write(rfile.readLine());
            }
        }, ConcurrencyModel.pool(1, 0), true);
        String marker = String.valueOf(server.serverAddress().getPort());
        try (LogCapture log = new LogCapture(BaseServer.class, marker); Serving serving = Serving.start(server);
                Socket first = Clients.connect(server.serverAddress())) {
            assertTrue(busy.await(10, TimeUnit.SECONDS));
            try (Socket refused = Clients.connect(server.serverAddress())) {
                assertEquals(-1, refused.getInputStream().read(), "the refused client reads EOF at once");
            }
            release.countDown();
            first.getOutputStream().write(LINE);
            assertArrayEquals(LINE, Clients.readLine(first.getInputStream()), "the running request is unaffected");
            serving.stop();
            assertEquals(1, log.warnings().size(), "one log line: " + log.warnings());
            assertTrue(log.warnings().get(0).contains("Refused"));
        }
    }

    /** Case 4: a failing getRequest backs off, logs once, and serving resumes when it works again. */
    @Test
    void failingGetRequestBacksOffAndLogsOnce(@TempDir Path dir) throws Exception {
        AtomicInteger failures = new AtomicInteger(3);
        TcpServer server = new TcpServer(new InetSocketAddress("127.0.0.1", 0), Handlers.LineEcho::new,
                ConcurrencyModel.synchronous(), true) {
            @Override
            protected IncomingRequest<StreamRequest> getRequest() throws IOException {
                if (failures.getAndDecrement() > 0) {
                    throw new IOException("Too many open files (simulated on port " + serverAddress().getPort() + ")");
                }
                return super.getRequest();
            }
        };
        String marker = "simulated on port " + server.serverAddress().getPort();
        try (LogCapture log = new LogCapture(AcceptBackoff.class, marker); Serving serving = Serving.start(server)) {
            assertArrayEquals(LINE, Clients.exchange(ServerKind.TCP4, server.serverAddress(), dir, LINE));
            serving.stop();
            assertEquals(1, log.warnings().size(), "one log line for the run of failures: " + log.warnings());
        }
    }

    /** Case 3: a RuntimeException from getRequest is not an I/O failure: it ends the loop and reaches the caller. */
    @Test
    void runtimeExceptionFromGetRequestEndsTheLoop() throws Exception {
        try (TcpServer server = new TcpServer(new InetSocketAddress("127.0.0.1", 0), Handlers.LineEcho::new,
                ConcurrencyModel.synchronous(), true) {
            @Override
            protected IncomingRequest<StreamRequest> getRequest() {
                throw new UnsupportedOperationException("broken");
            }
        }; Socket client = Clients.connect(server.serverAddress())) {
            assertThrows(UnsupportedOperationException.class, () -> server.serveForever(Serving.POLL));
            Serving again = Serving.start(server); // the loop's state was reset
            again.awaitEnd(Duration.ofSeconds(10));
            assertInstanceOf(UnsupportedOperationException.class, again.failure());
        }
    }

    /** Case 2 for datagrams: the partial reply is sent first, then the error is reported. */
    @ParameterizedTest
    @EnumSource(value = ServerKind.class, names = {"UDP4", "UNIX_DATAGRAM"})
    void datagramExceptionSendsThePartialReply(ServerKind kind, @TempDir Path dir) throws Exception {
        Errors errors = new Errors();
        DatagramServer server = kind.datagramServer(dir, ConcurrencyModel.synchronous(), errors, () -> new DatagramRequestHandler() {
            @Override
            protected void handle() throws IOException {
                wfile.write("partial".getBytes(StandardCharsets.US_ASCII));
                throw new IOException("boom");
            }
        }, true);
        try (Serving serving = Serving.start(server); DatagramSocket client = Clients.datagramClient(server.serverAddress(), dir)) {
            Clients.send(client, server.serverAddress(), LINE);
            assertArrayEquals("partial".getBytes(StandardCharsets.US_ASCII), Clients.receiveFrom(client, server.serverAddress()));
            assertEquals("boom", errors.awaitFirst().getMessage());
            serving.stop();
        }
    }

    /** Case 16: the handler's read timeout raises SocketTimeoutException in handle: reported, then closed. */
    @ParameterizedTest
    @EnumSource(value = ServerKind.class, names = {"TCP4", "UNIX_STREAM"})
    void streamTimeoutIsReportedAndCloses(ServerKind kind, @TempDir Path dir) throws Exception {
        Errors errors = new Errors();
        StreamServer server = kind.streamServer(dir, ConcurrencyModel.synchronous(), errors, () -> new StreamRequestHandler() {
            {
                timeout = Duration.ofMillis(100);
            }

            @Override
            protected void handle() throws IOException {
                rfile.readLine();
            }
        }, true);
        try (Serving serving = Serving.start(server); Socket client = Clients.connect(server.serverAddress())) {
            assertInstanceOf(SocketTimeoutException.class, errors.awaitFirst());
            assertEquals(-1, client.getInputStream().read(), "the timed-out connection is closed");
            serving.stop();
        }
    }
}
