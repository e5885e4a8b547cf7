package io.portside.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.portside.handler.api.StreamRequest;
import io.portside.server.concurrency.ConcurrencyModel;

/** handleRequest (spec §3.6): the timeout arithmetic, handleTimeout, and returning without a request (case 23). */
@Execution(ExecutionMode.CONCURRENT)
class HandleRequestTest {

    /** Counts handleTimeout calls and can make getRequest come back empty-handed. */
    static class Probe extends TcpServer {
        final AtomicInteger timeouts = new AtomicInteger();
        final AtomicInteger handled = new AtomicInteger();
        int emptyTakes;

        Probe() throws IOException {
            super(new InetSocketAddress("127.0.0.1", 0), () -> new Handlers.LineEchoCounting(), ConcurrencyModel.synchronous(), true);
        }

        @Override
        protected void handleTimeout() {
            timeouts.incrementAndGet();
        }

        @Override
        protected void finishRequest(StreamRequest request, java.net.SocketAddress clientAddress) {
            handled.incrementAndGet();
        }

        @Override
        protected IncomingRequest<StreamRequest> getRequest() throws IOException {
            if (emptyTakes > 0) {
                emptyTakes--;
                return null;
            }
            return super.getRequest();
        }
    }

    private static Duration millis(String value) {
        return value == null || value.isEmpty() ? null : Duration.ofMillis(Long.parseLong(value));
    }

    /**
     * The wait is the smaller of the listening socket's timeout and {@code timeout}, whichever are set
     * (CPython E10 measured these pairs); on expiry handleTimeout runs once and the call returns false.
     */
    @ParameterizedTest(name = "socket {0} ms, timeout {1} ms -> {2} ms")
    @CsvSource({",150,150", "150,,150", "150,3000,150", "3000,150,150", ",0,0", "0,,0", "0,3000,0"})
    void waitsForTheSmallerTimeout(String socketTimeout, String timeout, long expectedMillis) throws Exception {
        try (Probe server = new Probe()) {
            server.setSocketTimeout(millis(socketTimeout));
            server.setTimeout(millis(timeout));
            long start = System.nanoTime();
            assertFalse(server.handleRequest());
            long elapsed = Duration.ofNanos(System.nanoTime() - start).toMillis();
            assertEquals(1, server.timeouts.get(), "handleTimeout ran once");
            assertTrue(elapsed >= expectedMillis - 5, "waited " + elapsed + " ms, expected " + expectedMillis);
            assertTrue(elapsed < expectedMillis + 2000, "waited " + elapsed + " ms: the larger timeout was used");
            assertEquals(0, server.handled.get());
        }
    }

    @Test
    void handlesOneReadyRequestAndReturnsTrue() throws Exception {
        try (Probe server = new Probe(); Socket client = Clients.connect(server.serverAddress())) {
            server.setTimeout(Duration.ofSeconds(10));
            assertTrue(server.handleRequest());
            assertEquals(1, server.handled.get());
            assertEquals(0, server.timeouts.get());
        }
    }

    /** Case 23: a ready socket that yields no request returns false at once, without handleTimeout. */
    @Test
    void returnsWithoutARequestAndWithoutHandleTimeout() throws Exception {
        try (Probe server = new Probe(); Socket client = Clients.connect(server.serverAddress())) {
            server.emptyTakes = 1;
            server.setTimeout(Duration.ofSeconds(10));
            long start = System.nanoTime();
            assertFalse(server.handleRequest());
            assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(5)) < 0);
            assertEquals(0, server.timeouts.get());
            assertEquals(0, server.handled.get());
            assertTrue(server.handleRequest(), "the pending connection is still there");
            assertEquals(1, server.handled.get());
        }
    }

    /** §3.4: handleRequest never looks at the shutdown flag. */
    @Test
    void ignoresShutdown() throws Exception {
        try (Probe server = new Probe(); Socket client = Clients.connect(server.serverAddress())) {
            Thread early = new Thread(server::shutdown);
            early.setDaemon(true);
            early.start();
            server.setTimeout(Duration.ofSeconds(10));
            assertTrue(server.handleRequest());
            server.serverClose();
            early.join(10_000);
            assertFalse(early.isAlive(), "closing released the waiting shutdown()");
        }
    }
}
