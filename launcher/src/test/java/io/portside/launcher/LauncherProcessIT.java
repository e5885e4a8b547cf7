package io.portside.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The executable jar as users run it: a separate JVM that serves echo and stops cleanly with status 0 on SIGTERM. */
class LauncherProcessIT {

    @TempDir
    Path home;

    @Test
    void executableJarServesAndExitsZeroOnSigterm() throws Exception {
        int port = HostHarness.freePort();
        Path deploy = Files.createDirectories(home.resolve("deploy"));
        Files.copy(HostHarness.sampleBundle("echo"), deploy.resolve("echo.jar"));
        Files.writeString(deploy.resolve("io.portside.sample.echo.stream.cfg"), "portside.endpoint=tcp://127.0.0.1:" + port + "\n");

        String java = ProcessHandle.current().info().command().orElse("java");
        Path jar = Path.of(System.getProperty("portside.launcher.jar"));
        Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-jar", jar.toString(), "run", "--home", home.toString())
                .redirectErrorStream(true).start();
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
            HostHarness.awaitAnswer(port, "from a client", "FROM A CLIENT", Duration.ofSeconds(30));
            p.toHandle().destroy(); // SIGTERM only: Process.destroy() would also close our end of its output pipe
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "host stops within 30 s of SIGTERM");
            reader.join(5000);
            assertEquals(0, p.exitValue(), "exit status after SIGTERM; output:\n" + String.join("\n", output));
            assertTrue(output.stream().anyMatch(l -> l.contains("Listener echo-tcp unbound tcp://127.0.0.1:" + port + ": host stopping")),
                    String.join("\n", output));
            HostHarness.awaitRefused(port, Duration.ofSeconds(5));
        } finally {
            p.destroyForcibly();
        }
    }
}
