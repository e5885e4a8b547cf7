package io.portside.launcher;

import static io.portside.launcher.HostHarness.freePort;
import static io.portside.launcher.HostHarness.sampleBundle;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code max.connections} in a real host: 200 connections held on an echo listener limited to 50. The 150 over the
 * limit read EOF right after connecting and are counted as rejected; another listener of the host keeps answering
 * within 100 ms meanwhile; a new limit applies in place; and once the held connections close their slots are back.
 */
class ConnectionLimitIT {

    private static final Duration SOON = Duration.ofSeconds(10);
    private static final int LIMIT = 50;
    private static final int HELD = 200;

    @TempDir
    Path home;
    HostHarness host;
    private final List<Socket> clients = new ArrayList<>();
    private int limited;
    private int other;

    @BeforeEach
    void boot() throws Exception {
        host = HostHarness.start(home, Map.of());
        // echo's own endpoints moved off the defaults; the tests' listeners select it by name.
        host.writeNewConfig("io.portside.sample.echo.stream.cfg", "portside.endpoint=tcp://127.0.0.1:" + freePort() + "\n");
        host.writeNewConfig("io.portside.sample.echo.datagram.cfg", "portside.endpoint=udp://127.0.0.1:" + freePort() + "\n");
        limited = freePort();
        other = freePort();
        configureLimited(LIMIT);
        host.writeConfig("io.portside.listener-other.cfg", "endpoint=tcp://127.0.0.1:" + other + "\nhandler=echo\n");
        host.deploy(sampleBundle("echo"), "echo.jar");
        host.awaitBound("limited", "tcp://127.0.0.1:" + limited, SOON);
        host.awaitBound("other", "tcp://127.0.0.1:" + other, SOON);
    }

    @AfterEach
    void stop() throws IOException {
        closeClients();
        host.close();
    }

    private void configureLimited(int maxConnections) throws IOException {
        host.writeConfig("io.portside.listener-limited.cfg",
                "endpoint=tcp://127.0.0.1:" + limited + "\nhandler=echo\nmax.connections=" + maxConnections + "\n");
    }

    private void closeClients() throws IOException {
        for (Socket s : clients) {
            s.close();
        }
        clients.clear();
    }

    private Socket open(int port) throws IOException {
        Socket s = new Socket();
        clients.add(s);
        s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        s.setSoTimeout(5000);
        return s;
    }

    /** A connection echo answers and keeps open; retried while a probe's slot is still being released. */
    private void hold() throws Exception {
        long deadline = System.nanoTime() + SOON.toNanos();
        while (!"PING".equals(HostHarness.exchange(open(limited), "ping"))) {
            assertTrue(System.nanoTime() < deadline, "no connection admitted on " + limited);
            Thread.sleep(25);
        }
    }

    /** A connection over the limit: the client reads EOF at once, without writing a byte. Returns how long it took. */
    private long rejectedNanos() throws IOException {
        long start = System.nanoTime();
        Socket s = open(limited);
        s.setSoTimeout(2000);
        try {
            assertTrue(Wire.endsWithoutData(s.getInputStream()), "closed without a byte");
        } catch (SocketTimeoutException e) {
            throw new AssertionError("a connection over the limit was left open (" + clients.size() + " opened)", e);
        }
        return System.nanoTime() - start;
    }

    /** Connections the host-wide descriptor budget counts now, from portside:json. */
    private long budgetConnections() {
        try {
            Map<?, ?> d = (Map<?, ?>) ((Map<?, ?>) JsonReader.parse(host.runtimeJson())).get("descriptors");
            return (Long) d.get("connections");
        } catch (Exception e) {
            throw new AssertionError("cannot read portside:json: " + e, e);
        }
    }

    private long otherAnswersNanos() throws IOException {
        long start = System.nanoTime();
        assertEquals("PING", HostHarness.exchange(other, "ping"));
        return System.nanoTime() - start;
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void overItsLimitAListenerClosesAtOnceAndOthersKeepAnswering() throws Exception {
        HostHarness.awaitAnswer(other, "warm", "WARM", SOON);
        long rejectedBefore = host.listener("limited").rejected();
        for (int i = 0; i < LIMIT; i++) {
            hold();
        }
        long slowest = 0;
        for (int i = LIMIT; i < HELD; i++) {
            slowest = Math.max(slowest, rejectedNanos());
        }
        assertTrue(slowest < TimeUnit.MILLISECONDS.toNanos(1000), "over the limit, EOF at once: slowest " + slowest / 1_000_000 + " ms");
        host.awaitListener("limited", l -> l.rejected() - rejectedBefore >= HELD - LIMIT, SOON);
        host.awaitLog("Listener limited: rejected /127\\.0\\.0\\.1:\\d+: at its limit of 50 connections \\(max\\.connections\\)", SOON);

        // With 200 connections held on the limited listener, the other one answers at once.
        for (int i = 0; i < 5; i++) {
            long took = otherAnswersNanos();
            assertTrue(took < TimeUnit.MILLISECONDS.toNanos(100), "the other listener answered in " + took / 1_000_000 + " ms");
        }

        // A new limit applies in place: the held connections stay open, five more fit, the next is rejected.
        configureLimited(LIMIT + 5);
        HostHarness.await(() -> {
            try {
                return "PING".equals(HostHarness.exchange(open(limited), "ping"));
            } catch (IOException e) {
                return false;
            }
        }, SOON, "the raised limit to apply");
        for (int i = 1; i < 5; i++) {
            hold();
        }
        rejectedNanos();
        assertEquals("PING", HostHarness.exchange(clients.get(0), "ping"), "the first held connection is still served: no rebind");

        // Once they close, their slots are back: the listener serves again, up to its limit and no further.
        closeClients();
        host.awaitListener("limited", l -> l.openConnections() == 0, SOON);
        HostHarness.await(() -> budgetConnections() == 0, SOON, () -> "the host-wide budget to hold no connection, now "
                + budgetConnections()); // every slot of the budget released, and only once (a double release would go below 0)
        for (int i = 0; i < LIMIT + 5; i++) {
            hold();
        }
        assertTrue(rejectedNanos() < TimeUnit.MILLISECONDS.toNanos(1000));
    }
}
