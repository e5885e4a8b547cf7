package io.portside.server.concurrency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.SocketAddress;
import java.nio.channels.SelectableChannel;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.portside.handler.api.SocketServer;

/** {@code threading.max}: a thread per request, at most N at once; over it a request is refused as by a full pool. */
class ThreadPerRequestBoundTest {

    @Test
    void aRequestOverTheBoundIsRefusedAndTheCountReturnsWhenRequestsEnd() throws Exception {
        ThreadPerRequest model = new ThreadPerRequest(true, false, "bounded", 2);
        CountDownLatch started = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        try {
            model.dispatch(new Blocking(started, release));
            model.dispatch(new Blocking(started, release));
            assertTrue(started.await(10, TimeUnit.SECONDS));
            assertEquals(2, model.activeCount());

            RejectedExecutionException full = assertThrows(RejectedExecutionException.class,
                    () -> model.dispatch(new Blocking(new CountDownLatch(1), release)));
            assertEquals("threading full: 2 requests running", full.getMessage());
            assertEquals(2, model.activeCount(), "a refused request is not counted");

            release.countDown();
            awaitActive(model, 0);
            CountDownLatch again = new CountDownLatch(1);
            model.dispatch(new Blocking(again, release));
            assertTrue(again.await(10, TimeUnit.SECONDS), "room again once the running requests ended");
        } finally {
            release.countDown();
            model.close();
        }
    }

    @Test
    void theBoundCountsRequestsNotDispatchesSoItHoldsUnderChurn() throws Exception {
        ThreadPerRequest model = new ThreadPerRequest(true, false, null, 3);
        CountDownLatch release = new CountDownLatch(1);
        int refused = 0;
        try {
            for (int i = 0; i < 50; i++) {
                try {
                    model.dispatch(new Blocking(new CountDownLatch(1), release));
                } catch (RejectedExecutionException e) {
                    refused++;
                }
                assertTrue(model.activeCount() <= 3, "running: " + model.activeCount());
            }
            assertEquals(47, refused);
        } finally {
            release.countDown();
            model.close();
        }
        awaitActive(model, 0);
    }

    @Test
    void theExistingConstructorsStayUnbounded() {
        assertEquals(Integer.MAX_VALUE, new ThreadPerRequest(false, true).maxRequests());
        assertEquals(Integer.MAX_VALUE, new ThreadPerRequest(true, false, "l").maxRequests());
        assertEquals("threading (daemon) (no block on close)", new ThreadPerRequest(true, false, "l").toString());
        assertEquals("threading (daemon) (no block on close) (max 5)", new ThreadPerRequest(true, false, "l", 5).toString());
    }

    @Test
    void aBoundBelowOneIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ThreadPerRequest(true, false, null, 0));
        assertEquals("threading bound must be at least 1: 0", e.getMessage());
    }

    @Test
    void aClosedModelStillSaysClosed() {
        ThreadPerRequest model = new ThreadPerRequest(true, false, null, 1);
        model.close();
        assertEquals("closed", assertThrows(RejectedExecutionException.class,
                () -> model.dispatch(new Blocking(new CountDownLatch(1), new CountDownLatch(0)))).getMessage());
    }

    private static void awaitActive(ConcurrencyModel model, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (model.activeCount() != expected && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(expected, model.activeCount());
    }

    /** A request that says it started and runs until released. */
    private record Blocking(CountDownLatch started, CountDownLatch release) implements DispatchedRequest {

        @Override
        public void serve() {
            started.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public Object request() {
            return null;
        }

        @Override
        public SocketAddress clientAddress() {
            return null;
        }

        @Override
        public SocketServer server() {
            return null;
        }

        @Override
        public SelectableChannel serverChannel() {
            return null;
        }

        @Override
        public void handedOver() {
        }

        @Override
        public void finished(Throwable failure) {
        }

        @Override
        public void refused(RejectedExecutionException reason) {
        }
    }
}
