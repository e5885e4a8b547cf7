package io.portside.launcher;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host that runs out of file descriptors while a {@code .cfg} changes cannot read the file then; once descriptors
 * are free again it must catch up with what deploy/ holds, not run the old configuration for ever.
 */
class ConfigConvergenceIT {

    private static final int DESCRIPTORS = 400;

    @TempDir
    Path home;

    @Test
    void aChangeThatCouldNotBeReadIsAppliedOnceItCanBe() throws Exception {
        int before = HostHarness.freePort();
        int after = HostHarness.freePort();
        Path deploy = Files.createDirectories(home.resolve("deploy"));
        Files.copy(HostHarness.testBundle("banner-v1"), deploy.resolve("banner.jar"));
        Path cfg = deploy.resolve("io.portside.listener-banner.cfg");
        Files.writeString(cfg, "endpoint=tcp://127.0.0.1:" + before + "\nhandler=banner\n");

        String java = ProcessHandle.current().info().command().orElse("java");
        Path jar = Path.of(System.getProperty("portside.launcher.jar"));
        // A low descriptor limit for the host only, so that a few hundred connections exhaust it.
        Process p = new ProcessBuilder("sh", "-c", "ulimit -n " + DESCRIPTORS + " && exec \"$0\" \"$@\"", java, "--enable-native-access=ALL-UNNAMED",
                "-Dportside.seed.samples=false", "-jar", jar.toString(), "run", "--home", home.toString()).redirectErrorStream(true).start();
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
        List<Socket> hogs = new ArrayList<>();
        try {
            HostHarness.awaitAnswer(before, "hi", "v1:hi", Duration.ofSeconds(30));
            for (int i = 0; i < DESCRIPTORS + 100; i++) { // bounded: more than the host can hold
                Socket s = new Socket();
                s.connect(new InetSocketAddress("127.0.0.1", before), 2000);
                hogs.add(s);
            }
            Thread.sleep(1000); // the host has taken what it can and is out of descriptors
            Path tmp = deploy.resolve(".banner.cfg.tmp");
            Files.writeString(tmp, "endpoint=tcp://127.0.0.1:" + after + "\nhandler=banner\n");
            Files.move(tmp, cfg, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Thread.sleep(2500); // FileInstall polls (500 ms) and fails to read the file
            for (Socket s : hogs) {
                s.close();
            }
            hogs.clear();
            HostHarness.awaitAnswer(after, "moved", "v1:moved", Duration.ofSeconds(30));
            HostHarness.await(() -> output.stream().anyMatch(l -> l.contains("Listener banner bound tcp://127.0.0.1:" + after)),
                    Duration.ofSeconds(5), "the move in the log:\n" + String.join("\n", output));
        } finally {
            for (Socket s : hogs) {
                s.close();
            }
            p.toHandle().destroy();
            p.waitFor(30, TimeUnit.SECONDS);
            p.destroyForcibly();
            reader.join(5000);
        }
        assertTrue(output.stream().noneMatch(l -> l.contains("Exception in thread")), String.join("\n", output));
    }
}
