package io.portside.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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

import io.portside.handler.api.StreamRequest;
import io.portside.handler.api.StreamRequestHandler;
import io.portside.server.concurrency.ConcurrencyModel;

/** serveForever, shutdown and serverClose: CPython tests 13, 14, 16 and the lifecycle cases of spec §18. */
@Execution(ExecutionMode.CONCURRENT)
class LifecycleTest {

    private static final byte[] LINE = EchoMatrixTest.TEST_STR;
    private static final Duration BOUND = Duration.ofSeconds(10);

    private static TcpServer echo(ConcurrencyModel model) throws IOException {
        return new TcpServer(new InetSocketAddress("127.0.0.1", 0), Handlers.LineEcho::new, model, true);
    }

    /** Test 13 (Issue #2302): shutdown() right after starting the loop, possibly before it runs, never hangs. */
    @Test
    void shutdownRightAfterStartNeverHangs() throws Exception {
        List<TcpServer> servers = new ArrayList<>();
        List<Serving> loops = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                TcpServer server = echo(ConcurrencyModel.synchronous());
                servers.add(server);
                loops.add(Serving.start(server));
                assertTimeoutPreemptively(BOUND, server::shutdown);
            }
            for (Serving loop : loops) {
                assertTrue(loop.awaitEnd(BOUND));
            }
        } finally {
            servers.forEach(TcpServer::serverClose);
        }
    }

    /** Case 9: shutdown() before any loop waits for one; that loop then returns at once, and both return. */
    @Test
    void shutdownBeforeServeIsHonouredByTheNextLoop() throws Exception {
        try (TcpServer server = echo(ConcurrencyModel.synchronous())) {
            Thread early = new Thread(server::shutdown);
            early.start();
            early.join(100);
            assertTrue(early.isAlive(), "shutdown() before serveForever waits for a loop, as in CPython");
            assertTimeoutPreemptively(BOUND, () -> server.serveForever(Serving.POLL));
            early.join(BOUND.toMillis());
            assertFalse(early.isAlive());
        }
    }

    /** Case 9: unlike CPython, shutdown() after a loop ended leaves no stale flag: the next loop serves. */
    @Test
    void shutdownAfterTheLoopEndedLeavesNoStaleFlag(@TempDir Path dir) throws Exception {
        try (TcpServer server = echo(ConcurrencyModel.synchronous())) {
            Serving first = Serving.start(server);
            server.shutdown();
            assertTrue(first.awaitEnd(BOUND));
            assertTimeoutPreemptively(BOUND, server::shutdown); // returns at once: no loop runs
            Serving second = Serving.start(server);
            assertArrayEquals(LINE, Clients.exchange(ServerKind.TCP4, server.serverAddress(), dir, LINE));
            second.stop();
        }
    }

    /** Case 10: shutdown() from the serving thread (a synchronous handler) is refused instead of deadlocking. */
    @Test
    void shutdownFromTheServingThreadThrows() throws Exception {
        Errors errors = new Errors();
        AtomicReference<TcpServer> self = new AtomicReference<>();
        TcpServer server = new TcpServer(new InetSocketAddress("127.0.0.1", 0), () -> new StreamRequestHandler() {
            @Override
            protected void handle() {
                self.get().shutdown();
            }
        }, ConcurrencyModel.synchronous(), true) {
            @Override
            protected void handleError(StreamRequest request, java.net.SocketAddress client, Throwable error) {
                errors.add(error);
            }
        };
        self.set(server);
        try (Serving serving = Serving.start(server)) {
            try (Socket client = Clients.connect(server.serverAddress())) {
                assertEquals(-1, client.getInputStream().read(), "the request is closed");
            }
            assertTrue(errors.awaitFirst() instanceof IllegalStateException);
            assertFalse(serving.awaitEnd(Duration.ofMillis(50)), "the loop goes on");
            serving.stop();
        }
    }

    /** shutdown() from a worker thread works (CPython E10), and stops the loop. */
    @ParameterizedTest
    @EnumSource(value = Model.class, names = {"THREADING", "POOL", "VIRTUAL"})
    void shutdownFromAWorkerStopsTheLoop(Model model) throws Exception {
        AtomicReference<TcpServer> self = new AtomicReference<>();
        TcpServer server = new TcpServer(new InetSocketAddress("127.0.0.1", 0), () -> new StreamRequestHandler() {
            @Override
            protected void handle() {
                self.get().shutdown();
            }
        }, model.create(), true);
        self.set(server);
        try (Serving serving = Serving.start(server)) {
            Clients.connect(server.serverAddress()).close();
            assertTrue(serving.awaitEnd(BOUND), "shutdown() from a worker ended serveForever");
        }
    }

    /** Case 11: serverClose() while serveForever runs ends the loop (CPython busy-spins), without shutdown(). */
    @ParameterizedTest
    @EnumSource(ServerKind.class)
    void closingWhileServingEndsTheLoop(ServerKind kind, @TempDir Path dir) throws Exception {
        BaseServer<?> server = kind.echoServer(dir, ConcurrencyModel.synchronous(), new Errors());
        Serving serving = Serving.start(server, null);
        assertArrayEquals(LINE, Clients.exchange(kind, server.serverAddress(), dir, LINE));
        server.serverClose();
        assertTrue(serving.awaitEnd(BOUND), "the loop ended");
        assertEquals(null, serving.failure());
        assertTimeoutPreemptively(BOUND, server::shutdown); // nothing left to wait for
    }

    /** Case 12: serverClose() from a worker closes the socket and does not try to wait for itself. */
    @ParameterizedTest
    @EnumSource(value = Model.class, names = {"THREADING", "POOL", "VIRTUAL"})
    void closeFromAWorkerDoesNotWaitForItself(Model model) throws Exception {
        Errors errors = new Errors();
        CountDownLatch closed = new CountDownLatch(1);
        AtomicReference<TcpServer> self = new AtomicReference<>();
        TcpServer server = new TcpServer(new InetSocketAddress("127.0.0.1", 0), () -> new StreamRequestHandler() {
            @Override
            protected void handle() {
                self.get().serverClose();
                closed.countDown();
            }
        }, model.create(), true) {
            @Override
            protected void handleError(StreamRequest request, java.net.SocketAddress client, Throwable error) {
                errors.add(error);
            }
        };
        self.set(server);
        try (Serving serving = Serving.start(server)) {
            Clients.connect(server.serverAddress()).close();
            assertTrue(closed.await(10, TimeUnit.SECONDS), "serverClose() returned inside the worker");
            assertTrue(serving.awaitEnd(BOUND));
            assertFalse(server.channel().isOpen());
        }
        errors.assertNone();
    }

    /** Case 13: with no poll interval, shutdown() is still noticed at once (CPython waits for the next request). */
    @Test
    void shutdownIsImmediateWithoutPollInterval() throws Exception {
        try (TcpServer server = echo(ConcurrencyModel.synchronous())) {
            Serving serving = Serving.start(server, null);
            long start = System.nanoTime();
            serving.stop();
            assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(5)) < 0);
        }
    }

    /** Case 22 and §3.3: one request per pass, serviceActions after it, and on every idle pass. */
    @Test
    void serviceActionsRunAfterEachPassAndWhileIdle(@TempDir Path dir) throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        CountDownLatch idlePasses = new CountDownLatch(3);
        TcpServer server = new TcpServer(new InetSocketAddress("127.0.0.1", 0), () -> new StreamRequestHandler() {
            @Override
            protected void handle() throws IOException {
                events.add("handle");
                wfile.write(rfile.readLine());
            }
        }, ConcurrencyModel.synchronous(), true) {
            @Override
            protected void serviceActions() {
                events.add("service_actions");
                idlePasses.countDown();
            }
        };
        try (Serving serving = Serving.start(server)) {
            assertTrue(idlePasses.await(10, TimeUnit.SECONDS), "serviceActions runs every poll interval while idle");
            assertArrayEquals(LINE, Clients.exchange(ServerKind.TCP4, server.serverAddress(), dir, LINE));
            serving.stop();
        }
        int handled = events.indexOf("handle");
        assertTrue(handled > 0);
        assertEquals("service_actions", events.get(handled + 1), "serviceActions follows the request in the same pass");
    }

    /** §3.3: an exception from serviceActions ends the loop and reaches the caller; shutdown() then returns. */
    @Test
    void exceptionFromServiceActionsEndsTheLoop() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (TcpServer server = new TcpServer(new InetSocketAddress("127.0.0.1", 0), Handlers.LineEcho::new,
                ConcurrencyModel.synchronous(), true) {
            @Override
            protected void serviceActions() {
                calls.incrementAndGet();
                throw new IllegalStateException("boom");
            }
        }) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> server.serveForever(Serving.POLL));
            assertEquals("boom", e.getMessage());
            assertEquals(1, calls.get());
            assertTimeoutPreemptively(BOUND, server::shutdown);
        }
    }

    /** Test 14: a threading server closed at once, with no request and no loop, closes cleanly. */
    @ParameterizedTest
    @EnumSource(Model.class)
    void closeImmediately(Model model) throws Exception {
        TcpServer server = echo(model.create());
        InetSocketAddress address = server.serverAddress();
        server.serverClose();
        server.serverClose(); // idempotent
        assertFalse(server.channel().isOpen());
        try (TcpServer again = new TcpServer(address, Handlers.LineEcho::new)) {
            assertEquals(address, again.serverAddress(), "the port is released");
        }
    }

    /** Test 16: try-with-resources closes the server. */
    @ParameterizedTest
    @EnumSource(ServerKind.class)
    void contextManagerCloses(ServerKind kind, @TempDir Path dir) throws Exception {
        BaseServer<?> leaked;
        try (BaseServer<?> server = kind.echoServer(dir, ConcurrencyModel.synchronous(), new Errors())) {
            leaked = server;
            assertTrue(server.channel().isOpen());
        }
        assertTrue(leaked.isClosed());
        assertFalse(leaked.channel().isOpen());
        EchoMatrixTest.assertSocketGone(kind, leaked.serverAddress(), dir);
    }

    /** After serverClose, serveForever and handleRequest refuse (CPython: ValueError). */
    @Test
    void aClosedServerRefusesToServe() throws Exception {
        TcpServer server = echo(ConcurrencyModel.synchronous());
        server.close();
        assertThrows(IllegalStateException.class, () -> server.serveForever(Serving.POLL));
        assertThrows(IllegalStateException.class, server::handleRequest);
    }

    /** serveForever can run again after it returned; a second concurrent loop is refused. */
    @Test
    void serveForeverIsReentrantButNotConcurrent(@TempDir Path dir) throws Exception {
        try (TcpServer server = echo(ConcurrencyModel.synchronous())) {
            for (int round = 0; round < 2; round++) {
                Serving serving = Serving.start(server);
                assertArrayEquals(LINE, Clients.exchange(ServerKind.TCP4, server.serverAddress(), dir, LINE));
                assertThrows(IllegalStateException.class, () -> server.serveForever(Serving.POLL));
                serving.halt();
            }
        }
    }

    /** handleRequest blocked without a timeout returns false when another thread closes the server. */
    @Test
    void closeWakesHandleRequest() throws Exception {
        TcpServer server = echo(ConcurrencyModel.synchronous());
        AtomicReference<Object> result = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        Thread waiter = new Thread(() -> {
            try {
                result.set(server.handleRequest());
            } catch (Throwable t) {
                result.set(t);
            }
            done.countDown();
        });
        waiter.start();
        assertFalse(done.await(50, TimeUnit.MILLISECONDS), "handleRequest waits for a request");
        server.serverClose();
        assertTrue(done.await(10, TimeUnit.SECONDS), "closing woke handleRequest");
        assertEquals(Boolean.FALSE, result.get());
    }
}
