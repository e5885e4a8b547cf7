package io.portside.server.host.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;
import org.osgi.framework.Constants;
import org.osgi.framework.Version;

import io.portside.handler.api.DatagramHandlerFactory;
import io.portside.handler.api.DatagramRequestHandler;
import io.portside.handler.api.PortsideProperties;
import io.portside.handler.api.RequestHandlerFactory;
import io.portside.handler.api.StreamHandlerFactory;
import io.portside.handler.api.StreamRequestHandler;
import io.portside.server.BaseServer;
import io.portside.server.TcpServer;
import io.portside.server.UdpServer;
import io.portside.server.concurrency.ConcurrencyModel;
import io.portside.server.internal.HostClock;

/**
 * The watchdog on a real loopback connection: a handler that runs without waiting on its client is warned about once
 * (with its stack) and, at request.deadline, closed, interrupted and counted overdue; one that waits on its client as
 * long is neither; and a thread the watchdog interrupted goes back to its model without the interrupt. Isolated: it
 * counts the process's clock registrations, which tests running beside it would change.
 */
@Isolated
class RequestWatchTest {

    private static final Logger HOST_LOG = Logger.getLogger("io.portside.host");

    private final ListenerCounters counters = new ListenerCounters();
    private final RevisionRouting routing = new RevisionRouting();
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            lines.add(new java.util.logging.SimpleFormatter().formatMessage(r));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private BaseServer<?> server;
    private Thread serving;

    @AfterEach
    void stop() throws Exception {
        HOST_LOG.removeHandler(capture);
        if (server != null) {
            server.serverClose();
            serving.join(5000);
        }
    }

    private void serve(Map<String, String> limits, ConcurrencyModel model, StreamHandlerFactory factory) throws IOException {
        serve(limits, model, factory, true);
    }

    private void serve(Map<String, String> limits, ConcurrencyModel model, RequestHandlerFactory<?> factory, boolean stream)
            throws IOException {
        Map<String, Object> cfg = new HashMap<>(Map.of("endpoint", "tcp://127.0.0.1:0", "handler", "spin"));
        cfg.putAll(limits);
        ListenerSpec spec = ListenerSpecs.explicit("io.portside.listener~watched", cfg, Path.of("/tmp"));
        Map<String, Object> props = new HashMap<>();
        props.put(PortsideProperties.HANDLER, "spin");
        props.put(Constants.SERVICE_ID, 1L);
        routing.activate(HandlerCandidate.of(props, factory, stream, "b", Version.emptyVersion, Path.of("/tmp")));
        ConnectionPipeline pipeline = new ConnectionPipeline(() -> spec, new Admission(() -> spec, counters), routing, counters,
                new InProcessConcurrency(model), new ListenerTls());
        HOST_LOG.addHandler(capture);
        BaseServer<?> s = stream ? new TcpServer(new InetSocketAddress("127.0.0.1", 0), pipeline::process, true)
                : new UdpServer(new InetSocketAddress("127.0.0.1", 0), pipeline::process, true);
        server = s;
        serving = Thread.ofPlatform().daemon().start(() -> {
            while (!s.isClosed()) {
                try {
                    s.serveForever(Duration.ofMillis(50));
                } catch (Throwable ignored) {
                    // as Listener.serve: the loop goes on
                }
            }
        });
    }

    /** Reads a line; "spin" spins until interrupted (at most 10 s), "check" answers whether its thread carries an interrupt. */
    private static StreamHandlerFactory spinner() {
        return () -> new StreamRequestHandler() {
            @Override
            protected void handle() throws IOException {
                boolean interrupted = Thread.currentThread().isInterrupted();
                String line = new String(rfile.readLine(100)).strip();
                if (line.equals("check")) {
                    wfile.write(("interrupted=" + interrupted + "\n").getBytes());
                    return;
                }
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (!Thread.currentThread().isInterrupted() && System.nanoTime() - end < 0) {
                    Thread.onSpinWait();
                }
            }
        };
    }

    /** Sends {@code line} on a fresh connection; what the client reads until EOF, and how long that took. */
    private String send(String line, long[] tookMillis) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(server.serverAddress(), 2000);
            s.setSoTimeout(5000);
            long start = System.nanoTime();
            s.getOutputStream().write((line + "\n").getBytes());
            String got = new String(s.getInputStream().readAllBytes());
            tookMillis[0] = (System.nanoTime() - start) / 1_000_000;
            return got;
        }
    }

    @Test
    void aSpinningHandlerIsWarnedAboutOnceThenClosedInterruptedAndCountedAtTheDeadline() throws Exception {
        serve(Map.of("request.warn", "300ms", "request.deadline", "900ms"), ConcurrencyModel.threading(), spinner());
        long[] took = new long[1];
        assertEquals("", send("spin", took), "the client reads EOF: the host closed the connection");
        assertTrue(took[0] >= 800 && took[0] < 3000, "closed at the deadline, after " + took[0] + " ms");
        awaitTrue(() -> counters.overdue() == 1, "counted overdue once");
        List<String> warns = lines.stream().filter(l -> l.contains("request.warn")).toList();
        assertEquals(1, warns.size(), "one warning per request: " + lines);
        assertTrue(warns.get(0).contains("Listener watched: handler spin") && warns.get(0).contains("\tat "), warns.get(0));
        assertTrue(warns.get(0).contains("RequestWatchTest"), "the stack shows the handler's code: " + warns.get(0));
        awaitTrue(() -> lines.stream().anyMatch(l -> l.contains("at its request.deadline of 0.9 s")), "the deadline's line: " + lines);
        assertEquals(0, counters.errors(), "a close by the host is not the handler's error");
    }

    @Test
    void aHandlerWaitingOnItsClientIsNotWarnedAbout() throws Exception {
        serve(Map.of("request.warn", "200ms", "request.deadline", "400ms"), ConcurrencyModel.threading(), () -> new StreamRequestHandler() {
            @Override
            protected void handle() throws IOException {
                byte[] line = rfile.readLine(100); // waits on the client: the client time limits govern this, not the watchdog
                wfile.write(line);
            }
        });
        try (Socket s = new Socket()) {
            s.connect(server.serverAddress(), 2000);
            s.setSoTimeout(5000);
            Thread.sleep(1000);
            s.getOutputStream().write("late\n".getBytes());
            assertEquals("late\n", new String(s.getInputStream().readAllBytes()), "served in full after a wait longer than the deadline");
        }
        Thread.sleep(200);
        assertEquals(0, counters.overdue());
        assertFalse(lines.stream().anyMatch(l -> l.contains("request.")), String.valueOf(lines));
    }

    @Test
    void theWatchedRequestsOfAListenerAreOneEntryOfTheClockAndNoneOnceTheyEnd() throws Exception {
        // Datagrams: a stream connection's own client time limits would add entries of their own.
        CountDownLatch release = new CountDownLatch(1);
        DatagramHandlerFactory waiting = () -> new DatagramRequestHandler() {
            @Override
            protected void handle() throws IOException {
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        serve(Map.of("request.warn", "1m"), ConcurrencyModel.threading(), waiting, false);
        int before = HostClock.shared().size();
        try (DatagramSocket client = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            for (int i = 0; i < 3; i++) {
                client.send(new DatagramPacket(new byte[] {1}, 1, server.serverAddress()));
            }
            awaitTrue(() -> routing.active().openCount() == 3, "three handlers running");
            assertEquals(before + 1, HostClock.shared().size(), "one entry for the listener's three watched requests");
        } finally {
            release.countDown();
        }
        awaitTrue(() -> routing.active().openCount() == 0, "the handlers returned");
        assertEquals(before, HostClock.shared().size(), "no entry once no request is watched");
    }

    @Test
    void theWatchdogsInterruptDoesNotOutliveTheRequest() throws Exception {
        // Synchronous: both requests run on the serving thread, one after the other.
        serve(Map.of("request.deadline", "300ms"), ConcurrencyModel.synchronous(), spinner());
        long[] took = new long[1];
        assertEquals("", send("spin", took));
        awaitTrue(() -> counters.overdue() == 1, "counted overdue");
        assertEquals("interrupted=false\n", send("check", took), "the next request on that thread starts without the interrupt");
    }

    @Test
    void aSpinningDatagramHandlerIsInterruptedAndCountedAtTheDeadline() throws Exception {
        CountDownLatch returned = new CountDownLatch(1);
        DatagramHandlerFactory spinning = () -> new DatagramRequestHandler() {
            @Override
            protected void handle() {
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (!Thread.currentThread().isInterrupted() && System.nanoTime() - end < 0) {
                    Thread.onSpinWait();
                }
                returned.countDown();
            }
        };
        serve(Map.of("request.deadline", "300ms"), ConcurrencyModel.threading(), spinning, false);
        try (DatagramSocket client = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            client.send(new DatagramPacket(new byte[] {1}, 1, server.serverAddress()));
        }
        assertTrue(returned.await(5, TimeUnit.SECONDS), "the interrupt ended the handler's loop");
        awaitTrue(() -> counters.overdue() == 1, "counted overdue");
        awaitTrue(() -> lines.stream().anyMatch(l -> l.contains("the datagram from /127.0.0.1:") && l.contains("request.deadline of 0.3 s")),
                "the deadline's line (logged just after the count): " + lines);
    }

    private static void awaitTrue(java.util.function.BooleanSupplier c, String what) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!c.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                throw new AssertionError("not within 5 s: " + what);
            }
            Thread.sleep(20);
        }
    }
}
