package io.portside.launcher;

import static io.portside.launcher.HostHarness.freePort;
import static io.portside.launcher.HostHarness.sampleBundle;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slow and silent clients against the listeners' time limits, in a real host: a slow-loris flood on echo closed at
 * {@code idle.timeout} while another listener keeps answering and the host returns to its baseline; a client that asks
 * file-transfer for a large file and never reads it, closed at {@code write.timeout} with the file closed; and silent
 * clients closed at {@code first.byte.timeout}.
 */
class SlowClientsIT {

    private static final Duration SOON = Duration.ofSeconds(15);
    private static final int LORIS = 2000;
    private static final long IDLE_MILLIS = 2000;

    @TempDir
    Path home;
    HostHarness host;
    int slow;
    int other;
    private final List<Socket> clients = new ArrayList<>();

    @BeforeEach
    void boot() throws Exception {
        host = HostHarness.start(home, Map.of());
        host.writeNewConfig("io.portside.sample.echo.stream.cfg", "portside.endpoint=tcp://127.0.0.1:" + freePort() + "\n");
        host.writeNewConfig("io.portside.sample.echo.datagram.cfg", "portside.endpoint=udp://127.0.0.1:" + freePort() + "\n");
        slow = freePort();
        other = freePort();
        host.writeConfig("io.portside.listener-other.cfg", "endpoint=tcp://127.0.0.1:" + other + "\nhandler=echo\n");
        host.deploy(sampleBundle("echo"), "echo.jar");
        host.awaitBound("other", "tcp://127.0.0.1:" + other, SOON);
        HostHarness.awaitAnswer(other, "warm", "WARM", SOON);
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket s : clients) {
            s.close();
        }
        host.close();
    }

    private Socket open(int port) throws IOException {
        Socket s = new Socket();
        clients.add(s);
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        return s;
    }

    /**
     * The slow loris of the issue: 2,000 clients on echo, each sending one byte every 3 s and never a newline, held for
     * ever before. Echo answers bytes as they come (it reads with read1, one read of the socket per call), so each byte
     * is a request served, and the limit is on the wait for the next one: with idle.timeout 2 s each is closed 2 s
     * after its byte. (A handler that reads whole lines with readLine is bounded per line instead, however the bytes
     * trickle: StreamTimeoutsTest.aClientTricklingBytesIntoALineIsIdle.)
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aSlowLorisFloodIsClosedAtTheIdleTimeoutWhileOthersAnswerAndTheHostReturnsToBaseline() throws Exception {
        host.writeConfig("io.portside.listener-slow.cfg", "endpoint=tcp://127.0.0.1:" + slow + "\nhandler=echo\nmax.connections=3000\n"
                + "idle.timeout=" + IDLE_MILLIS + "ms\n");
        host.awaitBound("slow", "tcp://127.0.0.1:" + slow, SOON);
        HostHarness.awaitAnswer(slow, "warm", "WARM", SOON);
        Baseline before = Baseline.take();

        long start = System.nanoTime();
        List<Socket> loris = new ArrayList<>();
        for (int i = 0; i < LORIS; i++) {
            Socket s = open(slow);
            s.getOutputStream().write('x');
            loris.add(s);
        }
        long opened = System.nanoTime();
        Socket probe = open(other);
        probe.setSoTimeout(5000);
        List<Long> answers = new ArrayList<>();
        long lastByte = opened;
        long lastLook = 0;
        long timedOut = 0;
        while (timedOut < LORIS && System.nanoTime() - opened < TimeUnit.SECONDS.toNanos(30)) {
            if (System.nanoTime() - lastByte > TimeUnit.SECONDS.toNanos(3)) {
                lastByte = System.nanoTime();
                trickle(loris);
            }
            if (System.nanoTime() - lastLook > TimeUnit.MILLISECONDS.toNanos(250)) {
                lastLook = System.nanoTime();
                timedOut = host.listener("slow").timedOut();
            }
            long t0 = System.nanoTime();
            assertEquals("PROBE", HostHarness.exchange(probe, "probe"));
            answers.add(System.nanoTime() - t0);
            Thread.sleep(5);
        }
        long closedAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - opened);
        assertEquals(LORIS, timedOut, "every slow client was closed within 30 s: " + host.listener("slow"));
        assertTrue(closedAfter >= IDLE_MILLIS - 500, "not before the idle timeout: " + closedAfter + " ms");
        assertEquals(0, host.listener("slow").openConnections());
        host.awaitLog("Listener slow: closed the connection from /127\\.0\\.0\\.1:\\d+ at its idle\\.timeout of 2 s", SOON);
        for (Socket s : loris) {
            s.setSoTimeout(5000);
            assertTrue(drainsToEnd(s.getInputStream()), "the client sees its connection end");
        }

        long[] sorted = answers.stream().mapToLong(Long::longValue).sorted().toArray();
        long p50 = sorted[sorted.length / 2] / 1000;
        long p99 = sorted[(int) Math.ceil(sorted.length * 0.99) - 1] / 1000;
        System.out.printf("slow loris: %d clients opened in %d ms, all closed %d ms after (idle.timeout %d ms); other listener: "
                + "%d answers, p50 %d us, p99 %d us, max %d us%n", LORIS, TimeUnit.NANOSECONDS.toMillis(opened - start), closedAfter,
                IDLE_MILLIS, sorted.length, p50, p99, sorted[sorted.length - 1] / 1000);
        // The outcome is a p99 under 10 ms, which a quiet run shows (2 to 5 ms here, printed above). The bound
        // asserted is looser so that a CI machine busy with other work does not fail the build on noise; without the
        // time limits there is no p99 to speak of: the flood is never closed and the assertions above fail.
        assertTrue(p99 < 50_000, "the other listener's p99 was " + p99 + " us");

        for (Socket s : clients) {
            s.close();
        }
        clients.clear();
        before.awaitReturn(SOON);
    }

    /** One more byte to each slow client: never the end of a line. A client the host closed fails here, quietly. */
    private static void trickle(List<Socket> loris) {
        for (Socket s : loris) {
            try {
                s.getOutputStream().write('x');
            } catch (IOException closedByTheHost) {
                // counted by the host; the client's view is checked at the end
            }
        }
    }

    /** A client asks file-transfer for 64 MB and reads none of it: closed at write.timeout, and the file is closed too. */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aClientThatNeverReadsIsClosedAtTheWriteTimeoutAndTheFileIsClosed() throws Exception {
        Path files = Files.createDirectories(home.resolve("files"));
        byte[] mb = new byte[1 << 20];
        Arrays.fill(mb, (byte) 'z');
        Path big = files.resolve("big.bin");
        try (OutputStream out = Files.newOutputStream(big)) {
            for (int i = 0; i < 64; i++) {
                out.write(mb);
            }
        }
        host.writeNewConfig("io.portside.sample.filetransfer.cfg", "portside.endpoint=tcp://127.0.0.1:" + freePort() + "\n");
        host.writeConfig("io.portside.listener-slow.cfg", "endpoint=tcp://127.0.0.1:" + slow + "\nhandler=file-transfer\n"
                + "write.timeout=2s\n");
        host.deploy(sampleBundle("file-transfer"), "file-transfer.jar");
        host.awaitBound("slow", "tcp://127.0.0.1:" + slow, SOON);

        Socket s = open(slow);
        s.setSoTimeout(10_000);
        s.getOutputStream().write("get big.bin\n".getBytes(StandardCharsets.US_ASCII));
        byte[] head = new byte[16];
        int n = s.getInputStream().read(head);
        assertEquals(String.valueOf(64 << 20), new String(head, 0, n, StandardCharsets.US_ASCII));
        s.getOutputStream().write("ok\n".getBytes(StandardCharsets.US_ASCII));
        long start = System.nanoTime();
        HostHarness.await(() -> fileOpen(big), SOON, "the handler to open big.bin");
        host.awaitListener("slow", l -> l.timedOut() == 1, SOON);
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        host.awaitLog("Listener slow: closed the connection from /127\\.0\\.0\\.1:\\d+ at its write\\.timeout of 2 s", SOON);
        HostHarness.await(() -> !fileOpen(big), SOON, "big.bin to be closed");
        System.out.printf("never-reading client: closed %d ms after its acknowledgement (write.timeout 2 s); file closed%n", took);
        assertTrue(took >= 1500, took + " ms");
        assertEquals("PING", HostHarness.exchange(other, "ping"), "the other listener answers");
        s.setSoTimeout(5000);
        assertTrue(drainsToEnd(s.getInputStream()), "the client reads what the socket held, then the end");
    }

    private static boolean fileOpen(Path file) {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.anyMatch(fd -> {
                try {
                    return Files.readSymbolicLink(fd).equals(file);
                } catch (IOException e) {
                    return false;
                }
            });
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean drainsToEnd(InputStream in) throws IOException {
        byte[] buffer = new byte[1 << 20];
        try {
            while (in.read(buffer) >= 0) {
                // what the socket buffers held before the close
            }
            return true;
        } catch (SocketException reset) {
            return true; // closed with unread data: a reset is also an end
        }
    }

    /** Clients that connect and send nothing: closed at first.byte.timeout, long before the idle timeout. */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void silentClientsAreClosedAtTheFirstByteBound() throws Exception {
        host.writeConfig("io.portside.listener-slow.cfg", "endpoint=tcp://127.0.0.1:" + slow + "\nhandler=echo\n"
                + "first.byte.timeout=1s\nidle.timeout=1m\n");
        host.awaitBound("slow", "tcp://127.0.0.1:" + slow, SOON);
        long start = System.nanoTime();
        List<Socket> silent = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            Socket s = open(slow);
            s.setSoTimeout(10_000);
            silent.add(s);
        }
        for (Socket s : silent) {
            assertTrue(Wire.endsWithoutData(s.getInputStream()), "closed without a byte");
        }
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        System.out.printf("silent clients: 50 closed within %d ms (first.byte.timeout 1 s)%n", took);
        assertTrue(took >= 900 && took < 5000, took + " ms");
        host.awaitListener("slow", l -> l.timedOut() == 50, SOON);
        assertFalse(host.listener("slow").errors() > 0, "a timeout is not the handler's error");
    }

    /** On forking the limits travel with the connection: the worker's own clock closes it, and the host counts a timeout. */
    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void aForkingWorkerAppliesTheListenersLimits() throws Exception {
        host.deploy(HostHarness.testBundle("banner-v1"), "banner.jar");
        host.writeConfig("io.portside.listener-slow.cfg", "endpoint=tcp://127.0.0.1:" + slow + "\nhandler=banner\nconcurrency=forking\n"
                + "forking.min.idle=1\nfirst.byte.timeout=1s\n");
        host.awaitListener("slow", l -> l.bound() && l.handler() != null && l.handler().name().equals("banner"), Duration.ofSeconds(30));
        HostHarness.awaitAnswer(slow, "hi", "v1:hi", Duration.ofSeconds(30));
        Socket silent = open(slow);
        silent.setSoTimeout(15_000);
        long start = System.nanoTime();
        assertTrue(Wire.endsWithoutData(silent.getInputStream()), "closed without a byte");
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        System.out.printf("forking: a silent client closed by its worker %d ms after connecting (first.byte.timeout 1 s)%n", took);
        assertTrue(took >= 900, took + " ms");
        host.awaitListener("slow", l -> l.timedOut() == 1, SOON);
        host.awaitLog("Listener slow: closed the connection from /127\\.0\\.0\\.1:\\d+ in its worker process \\(pid \\d+\\): "
                + "first-byte timeout", SOON);
        assertEquals(0, host.listener("slow").errors(), "a timeout is not the handler's error");
        assertEquals("v1:again", HostHarness.exchange(slow, "again"), "the next client is served");
    }

    /** Threads and heap of the host's process before a flood, to compare with after it. */
    private record Baseline(int threads, long heap) {

        static Baseline take() {
            System.gc();
            return new Baseline(ManagementFactory.getThreadMXBean().getThreadCount(),
                    ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }

        void awaitReturn(Duration within) {
            long deadline = System.nanoTime() + within.toNanos();
            Baseline now;
            do {
                now = take();
                if (now.threads <= threads + 2 && now.heap <= heap + (8 << 20)) {
                    System.out.printf("baseline: threads %d -> %d, heap %d KiB -> %d KiB%n", threads, now.threads, heap >> 10, now.heap >> 10);
                    return;
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            } while (System.nanoTime() < deadline);
            throw new AssertionError("the host did not return to its baseline: threads " + threads + " -> " + now.threads + ", heap "
                    + (heap >> 10) + " KiB -> " + (now.heap >> 10) + " KiB");
        }
    }
}
