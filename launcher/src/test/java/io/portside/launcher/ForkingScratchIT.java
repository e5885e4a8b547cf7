package io.portside.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host with a forking listener killed with SIGKILL leaves nothing in {@code java.io.tmpdir}: its worker classes and
 * control sockets live under {@code <home>/work/forking}, and the next start deletes what the killed run left there.
 */
class ForkingScratchIT {

    @TempDir
    Path home;

    @Test
    void sigkillLeavesNothingInTmpAndTheNextStartCleansTheHome() throws Exception {
        int port = HostHarness.freePort();
        Path deploy = Files.createDirectories(home.resolve("deploy"));
        Files.copy(HostHarness.testBundle("forking-probe"), deploy.resolve("probe.jar"));
        Files.writeString(deploy.resolve("io.portside.fixture.forking.cfg"), "portside.endpoint=tcp://127.0.0.1:" + port + "\n");
        Path tmp = Files.createDirectories(home.resolve("tmp"));
        Path scratch = home.resolve("work/forking");
        List<String> options = List.of("-Dportside.shutdown.grace=1s", "-Djava.io.tmpdir=" + tmp);

        Set<String> killedRun;
        try (LauncherProcess host = LauncherProcess.startInShell("umask 022", home, options)) {
            try {
                HostHarness.awaitAnswer(port, "hello", "HELLO", Duration.ofSeconds(60));
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; the host's output:\n" + String.join("\n", host.output()), e);
            }
            HostHarness.await(() -> !ForkingHostIT.workers(host.process().toHandle()).isEmpty(), Duration.ofSeconds(60), "a worker");
            Set<Long> workers = ForkingHostIT.workers(host.process().toHandle());
            killedRun = names(scratch);

            host.process().destroyForcibly(); // SIGKILL: the host cannot clean up
            assertTrue(host.process().waitFor(30, TimeUnit.SECONDS), "the host dies");
            HostHarness.await(() -> workers.stream().noneMatch(ForkingHostIT::alive), Duration.ofSeconds(10), "its workers to exit");
            assertEquals(Set.of(), names(tmp), "nothing left in java.io.tmpdir");
            assertTrue(killedRun.stream().anyMatch(n -> n.startsWith("portside-classes-"))
                    && killedRun.stream().anyMatch(n -> n.startsWith("portside-run-")), "scratch folders under the home: " + killedRun);
            assertEquals(killedRun, names(scratch), "the killed run's folders stay under the home until the next start");
        }

        Files.delete(deploy.resolve("probe.jar")); // the next run has no forking listener: the clean-up must not need one
        try (LauncherProcess host = LauncherProcess.startInShell("umask 022", home, options)) {
            host.awaitOutput("Portside host started", Duration.ofSeconds(60));
            HostHarness.await(() -> names(scratch).stream().noneMatch(killedRun::contains), Duration.ofSeconds(10),
                    "the killed run's folders to be deleted: " + names(scratch));
            host.stop();
        }
        assertFalse(names(tmp).stream().anyMatch(n -> n.startsWith("portside-")), names(tmp).toString());
    }

    private static Set<String> names(Path dir) {
        if (!Files.isDirectory(dir)) {
            return Set.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return Set.copyOf(entries.map(p -> p.getFileName().toString()).toList());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
