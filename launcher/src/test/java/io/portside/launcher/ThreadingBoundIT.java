package io.portside.launcher;

import static io.portside.launcher.HostHarness.awaitAnswer;
import static io.portside.launcher.HostHarness.freePort;
import static io.portside.launcher.HostHarness.sampleBundle;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A thread-per-request flood ({@code threading.max}): 200 silent clients on a {@code concurrency=threading} listener
 * bounded at 50 get 50 platform threads, the other 150 read EOF right after connecting and are counted as rejected,
 * another listener keeps answering meanwhile, and the threads are gone once the clients leave.
 */
class ThreadingBoundIT {

    private static final Duration SOON = Duration.ofSeconds(10);
    private static final int BOUND = 50;
    private static final int CLIENTS = 200;
    private static final String LISTENER = "tr-bounded";
    private static final String THREADS = "portside-" + LISTENER + "-threading-";
    /** The other listener's answer time while the flood is held (the containment outcome). */
    private static final long ANSWER_MILLIS = 100;

    @TempDir
    Path home;
    HostHarness host;
    int bounded;
    int other;

    @BeforeEach
    void boot() throws Exception {
        host = HostHarness.start(home, Map.of());
        bounded = freePort();
        other = freePort();
        // The samples' own endpoints moved off their defaults; the tests' listeners select them by name.
        host.writeNewConfig("io.portside.sample.threadreporter.cfg", "portside.endpoint=tcp://127.0.0.1:" + freePort() + "\n");
        host.writeNewConfig("io.portside.sample.echo.stream.cfg", "portside.endpoint=tcp://127.0.0.1:" + freePort() + "\n");
        host.writeNewConfig("io.portside.sample.echo.datagram.cfg", "portside.endpoint=udp://127.0.0.1:" + freePort() + "\n");
        host.writeConfig("io.portside.listener-" + LISTENER + ".cfg", "endpoint=tcp://127.0.0.1:" + bounded
                + "\nhandler=thread-reporter\nconcurrency=threading\nthreading.max=" + BOUND + "\n");
        host.writeConfig("io.portside.listener-other.cfg", "endpoint=tcp://127.0.0.1:" + other + "\nhandler=echo\n");
        host.deploy(sampleBundle("thread-reporter"), "thread-reporter.jar");
        host.deploy(sampleBundle("echo"), "echo.jar");
        host.awaitListener(LISTENER, l -> l.bound() && l.concurrency().equals("threading(max " + BOUND + ")"), SOON);
        host.awaitListener("other", RuntimeListener::bound, SOON);
        awaitAnswer(other, "warm", "WARM", SOON);
    }

    @AfterEach
    void stop() {
        host.close();
    }

    @Test
    void aFloodGetsTheBoundInThreadsTheRestReadEofAndOtherListenersAnswer() throws Exception {
        int baselineThreads = ManagementFactory.getThreadMXBean().getThreadCount();
        assertEquals(0, requestThreads());
        List<Socket> clients = new ArrayList<>();
        try {
            // The first BOUND silent clients each hold a thread: thread-reporter waits up to 10 s for their request, which
            // is the time this phase has (it takes about a second here) before held threads end and free their slots.
            for (int i = 0; i < BOUND; i++) {
                clients.add(Wire.connect("127.0.0.1", bounded, null));
            }
            HostHarness.await(() -> requestThreads() == BOUND, SOON, () -> BOUND + " request threads; now " + requestThreads());

            // Every further client is refused at once: EOF right after connecting, well before the handler's timeout.
            long slowestAnswer = 0;
            int maxThreads = 0;
            for (int i = BOUND; i < CLIENTS; i++) {
                Socket s = Wire.connect("127.0.0.1", bounded, null);
                clients.add(s);
                assertTrue(readsEofAtOnce(s), "client " + (i + 1) + " over the bound reads EOF at once");
                maxThreads = Math.max(maxThreads, requestThreads());
                if (i % 10 == 0) {
                    slowestAnswer = Math.max(slowestAnswer, answerMillis());
                }
            }
            System.out.printf("ThreadingBoundIT: %d clients, bound %d: at most %d request threads, platform threads %d -> %d,"
                    + " slowest answer of the other listener %d ms%n", CLIENTS, BOUND, maxThreads, baselineThreads,
                    ManagementFactory.getThreadMXBean().getThreadCount(), slowestAnswer);
            assertTrue(maxThreads <= BOUND, "request threads stay at the bound: at most " + maxThreads);
            int held = ManagementFactory.getThreadMXBean().getThreadCount();
            // Slack for the host's and the JVM's own threads that come and go (compiler, FileInstall, logging).
            assertTrue(held <= baselineThreads + BOUND + 30, "platform threads " + held + ", before the flood " + baselineThreads);
            assertTrue(slowestAnswer < ANSWER_MILLIS, "the other listener answered within " + slowestAnswer + " ms");

            int refused = CLIENTS - BOUND;
            RuntimeListener view = host.awaitListener(LISTENER, l -> l.rejected() >= refused && l.openConnections() == BOUND, SOON);
            assertEquals(refused, view.rejected(), "every refused client counted once: " + view);
            host.awaitLog("Listener " + LISTENER + ": refused /127\\.0\\.0\\.1:\\d+: threading full: " + BOUND + " requests running", SOON);
        } finally {
            for (Socket s : clients) {
                s.close();
            }
        }
        // A client that leaves ends its request (thread-reporter reads EOF), so the threads go with the clients.
        HostHarness.await(() -> requestThreads() == 0, SOON, () -> "request threads back to 0; now " + requestThreads());
        host.awaitListener(LISTENER, l -> l.openConnections() == 0, SOON);
        String again = HostHarness.exchange(bounded, "again"); // served again: the bound counts running requests only
        assertTrue(again != null && again.startsWith(THREADS) && again.endsWith(": again"), again);
    }

    /** True if the server closes {@code s} before sending anything, within 1 s (a held client would wait 10 s). */
    private static boolean readsEofAtOnce(Socket s) throws IOException {
        s.setSoTimeout(1000);
        try {
            return Wire.endsWithoutData(s.getInputStream());
        } catch (SocketTimeoutException held) {
            return false;
        }
    }

    /** Milliseconds for one echo exchange on the other listener, on a fresh connection. */
    private long answerMillis() throws IOException {
        long start = System.nanoTime();
        assertEquals("PING", HostHarness.exchange(other, "ping"));
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** Live platform threads of the bounded listener's model, by the name the host gives them. */
    private static int requestThreads() {
        return (int) Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith(THREADS)).count();
    }
}
