package io.portside.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The executable jar with a forking listener, as users run it ({@code java -jar}, whose manifest opens
 * {@code sun.nio.ch}): SIGTERM stops the host with status 0 and leaves no worker process behind, and SIGKILL of the host
 * takes its workers with it, the busy ones included.
 */
class ForkingProcessIT {

    @TempDir
    Path home;

    @Test
    void sigtermStopsTheHostAndEveryWorker() throws Exception {
        runAndStop(false);
    }

    @Test
    void sigkillOfTheHostTakesItsWorkersWithIt() throws Exception {
        runAndStop(true);
    }

    private void runAndStop(boolean kill) throws Exception {
        int port = HostHarness.freePort();
        Path deploy = Files.createDirectories(home.resolve("deploy"));
        Files.copy(HostHarness.testBundle("forking-probe"), deploy.resolve("probe.jar"));
        Files.writeString(deploy.resolve("io.portside.fixture.forking.cfg"), "portside.endpoint=tcp://127.0.0.1:" + port + "\n");

        String java = ProcessHandle.current().info().command().orElse("java");
        Path jar = Path.of(System.getProperty("portside.launcher.jar"));
        // A killed host cannot clean up: its temp files (and its workers') go to the test's directory.
        Path tmp = Files.createDirectories(home.resolve("tmp"));
        Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Dportside.shutdown.grace=1s", "-Djava.io.tmpdir=" + tmp,
                "-jar", jar.toString(), "run", "--home", home.toString()).redirectErrorStream(true).start();
        List<String> output = Collections.synchronizedList(new ArrayList<>());
        Thread reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    output.add(line);
                }
            } catch (Exception ignored) {
                // the process ended
            }
        });
        try {
            HostHarness.awaitAnswer(port, "hello", "HELLO", Duration.ofSeconds(60));
            try (Socket busy = new Socket()) {
                busy.connect(new InetSocketAddress("127.0.0.1", port), 2000);
                busy.setSoTimeout(20_000);
                long busyPid = Long.parseLong(HostHarness.exchange(busy, "pid"));
                HostHarness.await(() -> ForkingHostIT.workers(p.toHandle()).size() >= 2, Duration.ofSeconds(60),
                        "a spare worker besides the busy one");
                Set<Long> workers = ForkingHostIT.workers(p.toHandle());
                assertTrue(workers.contains(busyPid), workers + " / " + busyPid);
                if (kill) {
                    p.destroyForcibly();
                } else {
                    p.toHandle().destroy(); // SIGTERM
                }
                assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the host stops");
                HostHarness.await(() -> workers.stream().noneMatch(ForkingHostIT::alive), Duration.ofSeconds(10),
                        "every worker to exit with the host: " + workers);
                assertNull(HostHarness.readLine(busy.getInputStream()), "the busy worker's client reads EOF");
            }
            reader.join(5000);
            if (!kill) {
                assertEquals(0, p.exitValue(), "exit status after SIGTERM; output:\n" + String.join("\n", output));
                assertTrue(output.stream().anyMatch(l -> l.contains("Listener probe-tcp unbound tcp://127.0.0.1:" + port + ": host stopping")),
                        String.join("\n", output));
            }
            assertFalse(output.stream().anyMatch(l -> l.contains("Exception in thread")), String.join("\n", output));
        } finally {
            p.destroyForcibly();
        }
    }
}
