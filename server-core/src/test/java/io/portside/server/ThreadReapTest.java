package io.portside.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import io.portside.handler.api.StreamRequest;
import io.portside.handler.api.StreamRequestHandler;
import io.portside.server.concurrency.ThreadPerRequest;

/** Test 27 (bpo-37193): finished request threads are not kept, and close waits for the running ones. */
@Execution(ExecutionMode.CONCURRENT)
class ThreadReapTest {

    @Test
    void finishedThreadsAreReaped() throws Exception {
        ThreadPerRequest threads = new ThreadPerRequest(false, true);
        CountDownLatch finished = new CountDownLatch(10);
        try (TcpServer server = new TcpServer(new InetSocketAddress("127.0.0.1", 0), () -> new StreamRequestHandler() {
        }, threads, true) {
            @Override
            protected void shutdownRequest(StreamRequest request) {
                super.shutdownRequest(request);
                finished.countDown();
            }
        }) {
            server.setTimeout(Duration.ofSeconds(10));
            for (int i = 0; i < 10; i++) {
                try (Socket client = Clients.connect(server.serverAddress())) {
                    assertTrue(server.handleRequest());
                }
            }
            assertTrue(finished.await(10, TimeUnit.SECONDS));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (threads.trackedThreads() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertTrue(threads.trackedThreads() < 10, "tracked: " + threads.trackedThreads());
            assertEquals(0, threads.trackedThreads());
        }
    }

    /** E13: by default serverClose waits for running request threads (block_on_close). */
    @Test
    void closeWaitsForRunningThreads() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        TcpServer server = new TcpServer(new InetSocketAddress("127.0.0.1", 0), () -> new StreamRequestHandler() {
            @Override
            protected void handle() throws InterruptedException {
                started.countDown();
                Thread.sleep(200);
                done.countDown();
            }
        }, new ThreadPerRequest(false, true), true);
        try (Socket client = Clients.connect(server.serverAddress())) {
            server.setTimeout(Duration.ofSeconds(10));
            assertTrue(server.handleRequest());
            assertTrue(started.await(10, TimeUnit.SECONDS));
            server.serverClose();
            assertEquals(0, done.getCount(), "serverClose returned before the request thread finished");
        }
    }
}
