package io.portside.launcher;

import static io.portside.launcher.HostHarness.freePort;
import static io.portside.launcher.HostHarness.sampleBundle;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client must not be able to fill the host's log: floods of one kind of line, from a handler or from the host
 * itself, print a burst and then one "... and N more like this" summary per window. Black box: the real launcher jar
 * in its own JVM, its printed lines counted.
 */
class LogFloodIT {

    private static final Duration SOON = Duration.ofSeconds(30);
    private static final Duration WINDOW = Duration.ofSeconds(3);
    private static final int BURST = 10; // the default
    private static final Pattern SUMMARY = Pattern.compile(
            "\\.\\.\\. and ([\\d,]+) more like this in the last (\\d+ m?s) on listener (\\S+): \"(.*)\"$");

    @TempDir
    static Path home;
    private static LauncherProcess host;
    private static int files;
    private static int guarded;

    @BeforeAll
    static void startHost() throws Exception {
        files = freePort();
        guarded = freePort();
        Files.createDirectories(home.resolve("files"));
        Path deploy = Files.createDirectories(home.resolve("deploy")); // exists: nothing is seeded on default ports
        Files.writeString(deploy.resolve("io.portside.sample.filetransfer.cfg"), "portside.endpoint=tcp://127.0.0.1:" + files + "\n");
        // An address policy that admits no loopback client, on a second listener of the same handler.
        Files.writeString(deploy.resolve("io.portside.policy.address-noloop.cfg"), "portside.policy=noloop\nallow=192.0.2.1\n");
        Files.writeString(deploy.resolve("io.portside.listener-guarded.cfg"),
                "endpoint=tcp://127.0.0.1:" + guarded + "\nhandler=file-transfer\npolicy.required=noloop\n");
        host = LauncherProcess.start(home, "-Dportside.log.window=" + WINDOW.toSeconds() + "s");
        // The jars only once their configuration is in: file-transfer never binds its default port 9997, not even briefly.
        host.awaitLine(0, l -> l.contains("Creating configuration {io.portside.sample.filetransfer}"), SOON, "the configuration read");
        for (String bundle : List.of("file-transfer", "policy-address")) {
            Files.copy(sampleBundle(bundle), deploy.resolve("." + bundle + ".jar.part"));
            Files.move(deploy.resolve("." + bundle + ".jar.part"), deploy.resolve(bundle + ".jar"), StandardCopyOption.ATOMIC_MOVE);
        }
        host.awaitLine(0, l -> l.contains("Listener file-transfer-tcp bound tcp://127.0.0.1:" + files), SOON, "file-transfer bound");
        host.awaitLine(0, l -> l.contains("Listener guarded bound tcp://127.0.0.1:" + guarded), SOON, "guarded bound");
    }

    @AfterAll
    static void stopHost() throws Exception {
        if (host != null) {
            host.close();
        }
    }

    @Test
    void thousandsOfOneByteBadCommandsPrintABurstAndASummary() throws Exception {
        int from = host.lineCount();
        long started = System.nanoTime();
        int commands = 5_000;
        assertEquals(commands, sendEmptyLines(files, commands), "every bad command is answered");

        String template = "file-transfer: refused {0} from {1} (root {2}): {3}";
        int summarized = awaitAccounted(from, "file-transfer-tcp", template, "file-transfer: refused a command from", commands);
        assertBounded(from, started);
        assertTrue(summarized > 0, "a summary naming the listener and the template:\n" + host.tail(from));
    }

    @Test
    void aConnectionBurstRejectedByAPolicyPrintsABurstAndASummary() throws Exception {
        int from = host.lineCount();
        long started = System.nanoTime();
        int connections = 2_000;
        assertEquals(connections, connectAndClose(guarded, connections, Duration.ofSeconds(60)), "every connection was made");

        int summarized = awaitAccounted(from, "guarded", "Listener {0}: rejected {1}: {2}", "Listener guarded: rejected /127.0.0.1:",
                connections);
        assertBounded(from, started);
        assertTrue(summarized > 0, "a summary naming the listener and the template:\n" + host.tail(from));
    }

    /**
     * Waits until every one of {@code expected} lines of a kind is either printed or counted in a summary naming the
     * listener and the template: nothing is lost. Returns how many the summaries counted.
     */
    private static int awaitAccounted(int from, String listener, String template, String printedMarker, int expected) {
        int[] seen = new int[2];
        HostHarness.await(() -> {
            seen[0] = 0;
            seen[1] = 0;
            for (String line : host.linesFrom(from)) {
                Matcher m = SUMMARY.matcher(line);
                if (m.find() && m.group(3).equals(listener) && m.group(4).equals(template)) {
                    assertEquals(WINDOW.toSeconds() + " s", m.group(2), line);
                    seen[1] += Integer.parseInt(m.group(1).replace(",", ""));
                } else if (line.contains(printedMarker)) {
                    seen[0]++;
                }
            }
            return seen[0] + seen[1] >= expected;
        }, WINDOW.multipliedBy(3).plus(SOON), "all " + expected + " lines printed or summarized (printed " + seen[0]
                + ", summarized " + seen[1] + "); output:\n" + host.tail(from));
        assertEquals(expected, seen[0] + seen[1], "printed " + seen[0] + " + summarized " + seen[1]);
        return seen[1];
    }

    /** Per window a flood may print its burst and one summary: a handful of lines, whatever the number of requests. */
    private static void assertBounded(int from, long startedNanos) {
        long windows = (System.nanoTime() - startedNanos) / WINDOW.toNanos() + 2;
        long bound = windows * (BURST + 1) + 5;
        List<String> lines = host.linesFrom(from);
        assertTrue(lines.size() <= bound, "the output grew by " + lines.size() + " lines (at most " + bound + " expected):\n"
                + host.tail(from));
    }

    /** Sends {@code n} empty lines (one byte each, each a bad command) on one connection; returns the error lines read back. */
    private static int sendEmptyLines(int port, int n) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    byte[] chunk = new byte[100];
                    java.util.Arrays.fill(chunk, (byte) '\n');
                    for (int sent = 0; sent < n; sent += chunk.length) {
                        out.write(chunk, 0, Math.min(chunk.length, n - sent));
                    }
                    out.flush();
                } catch (IOException e) {
                    // the reader below reports the shortfall
                }
            });
            int errors = 0;
            InputStream in = s.getInputStream();
            boolean lineStart = true;
            byte[] buffer = new byte[8192];
            while (errors < n) {
                int r = in.read(buffer);
                if (r < 0) {
                    break;
                }
                for (int i = 0; i < r; i++) {
                    if (lineStart && buffer[i] == 'E') {
                        errors++;
                    }
                    lineStart = buffer[i] == '\n';
                }
            }
            writer.join(Duration.ofSeconds(5));
            return errors;
        }
    }

    /** Opens and closes up to {@code n} connections one after another, for at most {@code limit}; returns how many were made. */
    private static int connectAndClose(int port, int n, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        int made = 0;
        while (made < n && System.nanoTime() - deadline < 0) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
                made++;
            } catch (IOException e) {
                // counted as not made; the assertion reports it
            }
        }
        return made;
    }
}
