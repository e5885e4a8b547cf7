package io.portside.launcher;

import static io.portside.launcher.HostHarness.freePort;
import static io.portside.launcher.HostHarness.sampleBundle;
import static io.portside.launcher.HostHarness.testBundle;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runaway handlers (issue 13): as many requests spinning on the CPU as the machine has cores, on one virtual-thread
 * listener, must not stop the host's other listeners from answering; the watchdog warns about each once, with its
 * stack, at {@code request.warn}, and closes it at {@code request.deadline}. The spinner ignores interrupts, as a hot
 * loop does, and stops by itself after {@link #SPIN}.
 */
class SpinningHandlerIT {

    private static final Duration SOON = Duration.ofSeconds(30);
    private static final int CORES = Runtime.getRuntime().availableProcessors();
    private static final Duration SPIN = Duration.ofSeconds(10);
    /** What "keeps answering" means while the spinners run: every probe answered, none slower than this. */
    private static final long ANSWER_MILLIS = 1000;
    private static final long PROBE_TIMEOUT_MILLIS = 3000;

    @TempDir
    Path home;

    /** The real launcher jar in its own JVM: its own virtual-thread scheduler, as users run it. */
    @Test
    void spinningRequestsOnAVirtualListenerLeaveOtherListenersAnsweringAndAreWarnedAboutAndClosed() throws Exception {
        int spin = freePort();
        int echoVirtual = freePort();
        int echoPool = freePort();
        Path deploy = Files.createDirectories(home.resolve("deploy")); // exists: nothing is seeded on default ports
        Files.writeString(deploy.resolve("io.portside.sample.echo.stream.cfg"), "portside.endpoint=tcp://127.0.0.1:" + freePort() + "\n");
        Files.writeString(deploy.resolve("io.portside.sample.echo.datagram.cfg"), "portside.endpoint=udp://127.0.0.1:" + freePort() + "\n");
        Files.writeString(deploy.resolve("io.portside.listener-spin.cfg"), "endpoint=tcp://127.0.0.1:" + spin
                + "\nhandler=spinner\nconcurrency=virtual\nrequest.warn=2s\nrequest.deadline=4s\n");
        Files.writeString(deploy.resolve("io.portside.listener-echo-virtual.cfg"), "endpoint=tcp://127.0.0.1:" + echoVirtual
                + "\nhandler=echo\nconcurrency=virtual\n");
        Files.writeString(deploy.resolve("io.portside.listener-echo-pool.cfg"), "endpoint=tcp://127.0.0.1:" + echoPool
                + "\nhandler=echo\nconcurrency=pool\n");
        LauncherProcess host = LauncherProcess.start(home);
        try {
            host.awaitLine(0, l -> l.contains("Creating configuration {io.portside.sample.echo.stream}"), SOON, "the configuration read");
            copyIn(sampleBundle("echo"), deploy, "echo.jar");
            copyIn(testBundle("spinner"), deploy, "spinner.jar");
            for (String name : List.of("spin", "echo-virtual", "echo-pool")) {
                host.awaitLine(0, l -> l.contains("Listener " + name + " bound"), SOON, name + " bound");
            }
            HostHarness.awaitAnswer(spin, "hello", "ok: hello", SOON);
            HostHarness.awaitAnswer(echoVirtual, "warm", "WARM", SOON);
            HostHarness.awaitAnswer(echoPool, "warm", "WARM", SOON);
            Probes before = Probes.run(echoVirtual, echoPool, Duration.ofSeconds(2));
            long pid = host.process().pid();
            int threadsBefore = threads(pid);
            int from = host.lineCount();

            List<Socket> spinners = new ArrayList<>();
            List<long[]> closedAfter = new ArrayList<>();
            List<Thread> readers = new ArrayList<>();
            long started = System.nanoTime();
            try {
                for (int i = 0; i < CORES; i++) {
                    Socket s = new Socket();
                    s.connect(new InetSocketAddress("127.0.0.1", spin), 2000);
                    s.setSoTimeout((int) SPIN.toMillis() + 10_000);
                    s.getOutputStream().write(("spin " + SPIN.toMillis() + "\n").getBytes(StandardCharsets.UTF_8));
                    spinners.add(s);
                    long[] at = {-1};
                    closedAfter.add(at);
                    readers.add(Thread.ofPlatform().daemon().start(() -> at[0] = millisUntilEof(s, started)));
                }
                Thread.sleep(500); // the spinners hold their carriers by now
                Probes during = Probes.run(echoVirtual, echoPool, SPIN.minusSeconds(2));
                int threadsDuring = threads(pid);
                for (Thread r : readers) {
                    r.join(SPIN.toMillis() + 15_000);
                }
                System.out.printf("SpinningHandlerIT: %d cores, %d spinning requests on a virtual-thread listener for %d s:%n"
                        + "  before: echo-virtual slowest %d ms, echo-pool slowest %d ms (%d probes)%n"
                        + "  during: echo-virtual slowest %d ms (%d unanswered in %d ms), echo-pool slowest %d ms (%d unanswered) (%d probes)%n"
                        + "  spinning clients closed after %s ms; host threads %d before, %d during%n",
                        CORES, CORES, SPIN.toSeconds(), before.slowestVirtual, before.slowestPool, before.count,
                        during.slowestVirtual, during.unansweredVirtual, PROBE_TIMEOUT_MILLIS, during.slowestPool,
                        during.unansweredPool, during.count, closedAfter.stream().map(a -> Long.toString(a[0])).toList(),
                        threadsBefore, threadsDuring);
                assertEquals(0, during.unansweredVirtual, "the other virtual-thread listener answered every probe");
                assertEquals(0, during.unansweredPool, "the platform-thread listener answered every probe");
                assertTrue(during.slowestVirtual < ANSWER_MILLIS, "echo-virtual answered within " + during.slowestVirtual + " ms");
                assertTrue(during.slowestPool < ANSWER_MILLIS, "echo-pool answered within " + during.slowestPool + " ms");
                for (long[] at : closedAfter) {
                    assertTrue(at[0] >= 3_800 && at[0] < 6_000, "closed at request.deadline (4 s), after " + at[0] + " ms");
                }
            } finally {
                for (Socket s : spinners) {
                    s.close();
                }
            }

            // The spinners ignore the interrupt: they run on to the end of SPIN, then the listener serves again.
            HostHarness.await(() -> System.nanoTime() - started > SPIN.plusSeconds(1).toNanos(), SOON, "the spinners' end");
            HostHarness.awaitAnswer(spin, "again", "ok: again", Duration.ofSeconds(5));
            List<String> out = host.linesFrom(from);
            long warnings = out.stream().filter(l -> l.contains("Listener spin: handler spinner") && l.contains("without waiting on its client"))
                    .count();
            long stacks = out.stream().filter(l -> l.contains("at io.portside.fixture.spinner.SpinnerService.spin(")).count();
            long closes = out.stream().filter(l -> l.contains("Listener spin: closed the connection from")
                    && l.contains("at its request.deadline of 4.0 s")).count();
            out.stream().filter(l -> l.contains("Listener spin: handler spinner")).findFirst()
                    .ifPresent(l -> System.out.println("SpinningHandlerIT: " + l + "\n" + out.get(out.indexOf(l) + 1)));
            assertEquals(CORES, warnings, "one request.warn line per spinning request:\n" + host.tail(from));
            assertEquals(CORES, stacks, "each with the handler thread's stack:\n" + host.tail(from));
            assertEquals(CORES, closes, "one request.deadline line per spinning request:\n" + host.tail(from));
            int threadsAfter = threads(pid);
            System.out.printf("SpinningHandlerIT: after the spin: host threads %d (before %d)%n", threadsAfter, threadsBefore);
            // The scheduler's extra carriers may linger idle for its keep-alive; nothing else may stay.
            assertTrue(threadsAfter <= threadsBefore + 2 * CORES + 2, "threads " + threadsAfter + ", before " + threadsBefore);
        } finally {
            host.close();
        }
    }

    /**
     * In the test's own JVM, on platform threads ({@code concurrency=threading}): the deadline closes each spinning
     * connection, counts it {@code overdue} in the runtime view, and, once the spinners return by themselves, the
     * listener's request threads and open connections go back to zero.
     */
    @Test
    void theDeadlineClosesCountsOverdueAndTheHostReturnsToItsBaseline() throws Exception {
        int port = freePort();
        String threadsPrefix = "portside-spin-t-threading-";
        try (HostHarness host = HostHarness.start(home, Map.of())) {
            host.writeConfig("io.portside.listener-spin-t.cfg", "endpoint=tcp://127.0.0.1:" + port
                    + "\nhandler=spinner\nconcurrency=threading\nrequest.warn=1s\nrequest.deadline=2s\n");
            host.deploy(testBundle("spinner"), "spinner.jar");
            host.awaitListener("spin-t", RuntimeListener::bound, SOON);
            HostHarness.awaitAnswer(port, "hello", "ok: hello", SOON);
            HostHarness.await(() -> requestThreads(threadsPrefix) == 0, SOON, "no request thread left from the warm-up");
            long since = System.nanoTime();
            List<Socket> clients = new ArrayList<>();
            try {
                for (int i = 0; i < CORES; i++) {
                    Socket s = new Socket();
                    s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
                    s.setSoTimeout(10_000);
                    s.getOutputStream().write("spin 6000\n".getBytes(StandardCharsets.UTF_8));
                    clients.add(s);
                }
                for (Socket s : clients) {
                    long at = millisUntilEof(s, since);
                    assertTrue(at >= 1_800 && at < 4_000, "closed at request.deadline (2 s), after " + at + " ms");
                }
            } finally {
                for (Socket s : clients) {
                    s.close();
                }
            }
            assertEquals(CORES, overdue(host, "spin-t"), "each closed request counted overdue once");
            // Java cannot stop a thread: the closed requests' threads spin on until the handler returns by itself.
            assertEquals(CORES, requestThreads(threadsPrefix), "the spinners still run after the close");
            HostHarness.await(() -> requestThreads(threadsPrefix) == 0, SOON, () -> "request threads back to 0; now "
                    + requestThreads(threadsPrefix));
            host.awaitListener("spin-t", l -> l.openConnections() == 0 && l.errors() == 0, SOON);
            long warned = host.logLinesSince(since).stream().filter(l -> l.contains("Listener spin-t: handler spinner")
                    && l.contains("request.warn is 1.0 s") && l.contains("SpinnerService.spin(")).count();
            assertEquals(CORES, warned, "one warning with its stack per request:\n" + String.join("\n", host.logLinesSince(since)));
            assertEquals(CORES, overdue(host, "spin-t"), "counted once, not again when the handler returned");
            System.out.printf("SpinningHandlerIT: threading, %d spinning requests: closed at the 2 s deadline, overdue %d, request"
                    + " threads back to 0 when they returned%n", CORES, overdue(host, "spin-t"));
        }
    }

    /** The listener's {@code overdue} count in the runtime view ({@code portside:json}). */
    private static long overdue(HostHarness host, String name) throws Exception {
        Map<?, ?> view = (Map<?, ?>) JsonReader.parse(host.runtimeJson());
        for (Object l : (List<?>) view.get("listeners")) {
            if (name.equals(((Map<?, ?>) l).get("name"))) {
                return ((Number) ((Map<?, ?>) l).get("overdue")).longValue();
            }
        }
        throw new AssertionError("no listener " + name + " in " + view);
    }

    private static int requestThreads(String prefix) {
        return (int) Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith(prefix)).count();
    }

    private static void copyIn(Path jar, Path deploy, String name) throws IOException {
        Path part = deploy.resolve("." + name + ".part");
        Files.copy(jar, part);
        Files.move(part, deploy.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    /** Milliseconds from {@code startedNanos} until the server closed {@code s}; -1 if it did not. */
    private static long millisUntilEof(Socket s, long startedNanos) {
        try {
            InputStream in = s.getInputStream();
            while (in.read() >= 0) {
                // the spinner's answer, if it ever comes
            }
            return (System.nanoTime() - startedNanos) / 1_000_000;
        } catch (IOException e) {
            return -1;
        }
    }

    /** The host's live threads (its OS tasks, carriers included). */
    private static int threads(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("Threads:")) {
                return Integer.parseInt(line.substring(8).strip());
            }
        }
        throw new IllegalStateException("no thread count for " + pid);
    }

    /** Echo exchanges on fresh connections, every 100 ms, alternately to both listeners. */
    private record Probes(int count, long slowestVirtual, int unansweredVirtual, long slowestPool, int unansweredPool) {

        static Probes run(int virtual, int pool, Duration during) throws InterruptedException {
            long end = System.nanoTime() + during.toNanos();
            int count = 0;
            long[] slowest = new long[2];
            int[] unanswered = new int[2];
            while (System.nanoTime() - end < 0) {
                int which = count++ % 2;
                long millis = probe(which == 0 ? virtual : pool);
                if (millis < 0) {
                    unanswered[which]++;
                } else {
                    slowest[which] = Math.max(slowest[which], millis);
                }
                Thread.sleep(100);
            }
            return new Probes(count, slowest[0], unanswered[0], slowest[1], unanswered[1]);
        }

        /** Milliseconds for one exchange; -1 when it got no answer within the probe timeout. */
        private static long probe(int port) {
            long start = System.nanoTime();
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), (int) PROBE_TIMEOUT_MILLIS);
                s.setSoTimeout((int) PROBE_TIMEOUT_MILLIS);
                String answer = HostHarness.exchange(s, "ping");
                return "PING".equals(answer) ? (System.nanoTime() - start) / 1_000_000 : -1;
            } catch (SocketTimeoutException e) {
                return -1;
            } catch (IOException e) {
                return -1;
            }
        }
    }
}
