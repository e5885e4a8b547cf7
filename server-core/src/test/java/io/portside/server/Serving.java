package io.portside.server;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** Runs {@code serveForever} on its own thread, as CPython's run_server does, and stops it with bounded waits. */
final class Serving implements AutoCloseable {

    static final Duration POLL = Duration.ofMillis(10);

    private final BaseServer<?> server;
    private final Thread thread;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final CountDownLatch ended = new CountDownLatch(1);

    private Serving(BaseServer<?> server, Duration poll) {
        this.server = server;
        this.thread = new Thread(() -> {
            try {
                server.serveForever(poll);
            } catch (Throwable t) {
                failure.set(t);
            } finally {
                ended.countDown();
            }
        }, "serve-" + server.serverAddress());
        thread.setDaemon(true);
    }

    static Serving start(BaseServer<?> server) {
        return start(server, POLL);
    }

    static Serving start(BaseServer<?> server, Duration poll) {
        Serving serving = new Serving(server, poll);
        serving.thread.start();
        return serving;
    }

    Thread thread() {
        return thread;
    }

    /** True once serveForever has returned (bounded wait). */
    boolean awaitEnd(Duration limit) throws InterruptedException {
        return ended.await(limit.toMillis(), TimeUnit.MILLISECONDS);
    }

    Throwable failure() {
        return failure.get();
    }

    /** shutdown() then serverClose(); fails if the loop failed or either hangs. */
    void stop() throws InterruptedException {
        halt();
        server.serverClose();
    }

    /** shutdown() from another thread (bounded), leaving the server open; fails if the loop failed or hangs. */
    void halt() throws InterruptedException {
        Thread stopper = new Thread(server::shutdown, "shutdown-" + server.serverAddress());
        stopper.setDaemon(true);
        stopper.start();
        stopper.join(10_000);
        if (stopper.isAlive()) {
            fail("shutdown() did not return within 10 s");
        }
        assertTrue(awaitEnd(Duration.ofSeconds(10)), "serveForever did not return");
        if (failure.get() != null) {
            throw new AssertionError("serveForever failed", failure.get());
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (ended.getCount() > 0) {
            server.serverClose();
            ended.await(10, TimeUnit.SECONDS);
        }
        server.serverClose();
    }
}
