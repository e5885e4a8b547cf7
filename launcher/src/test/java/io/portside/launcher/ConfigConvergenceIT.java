package io.portside.launcher;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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

        // A low descriptor limit for the host only, so that a few hundred connections exhaust it; and no reserve, or the
        // host's descriptor budget would refuse the connections before they take the descriptors FileInstall needs.
        LauncherProcess host = LauncherProcess.startInShell("ulimit -n " + DESCRIPTORS, home,
                List.of("-Dportside.seed.samples=false", "-Dportside.descriptors.reserve=0"));
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
            host.awaitOutput("Listener banner bound tcp://127.0.0.1:" + after, Duration.ofSeconds(5));
            host.awaitOutput("differed from the running one", Duration.ofSeconds(5));
        } finally {
            for (Socket s : hogs) {
                s.close();
            }
            host.close();
        }
        assertTrue(host.output().stream().noneMatch(l -> l.contains("Exception in thread")), String.join("\n", host.output()));
    }
}
