package io.portside.launcher;

import static io.portside.launcher.HostHarness.awaitAnswer;
import static io.portside.launcher.HostHarness.freePort;
import static io.portside.launcher.HostHarness.sampleBundle;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kv sample keeps its data through a hot swap of its jar: 50 clients write and read their keys while the jar is
 * replaced, and afterwards every key holds its last value. The new revision takes over the old one's live map
 * ({@code SwapState}), which the old revision's draining connections keep writing to.
 */
class KvSwapIT {

    private static final Duration SOON = Duration.ofSeconds(15);
    private static final int CLIENTS = 50;

    @TempDir
    Path home;
    HostHarness host;

    @BeforeEach
    void boot() throws Exception {
        host = HostHarness.start(home, Map.of());
    }

    @AfterEach
    void stop() {
        host.close();
    }

    @Test
    void fiftyClientsLoseNoKeyWhileTheJarIsSwapped() throws Exception {
        int port = freePort();
        host.writeNewConfig("io.portside.sample.kv.cfg", "portside.endpoint=tcp://127.0.0.1:" + port + "\n");
        host.deploy(sampleBundle("kv"), "kv.jar");
        awaitAnswer(port, "GET nothing-yet", "NIL", SOON);

        KvLoad load = KvLoad.start(port, CLIENTS);
        long swapMillis;
        long writesBefore;
        try {
            Thread.sleep(1500);
            writesBefore = load.writes();
            long began = System.nanoTime();
            host.deploy(sampleBundle("kv"), "kv.jar"); // a fresh copy: an update of the running bundle
            // Bundle.update stops the old revision before the new one starts: the listener logs the new one's activation,
            // as "active again" after the gap, or as a swap when the applier saw the new service before the old one left.
            HostHarness.LogEntry active = host.awaitLogEntry(
                    "Listener kv-tcp on .*: (handler kv \\(.*\\) active again|swapped handler kv \\(.*\\) -> kv \\(.*)", SOON, began);
            swapMillis = (active.nanos() - began) / 1_000_000;
            Thread.sleep(1500); // the load goes on, now on the new revision
        } finally {
            load.stop();
        }
        long writesDuring = load.writes() - writesBefore;
        long held = load.verify();
        List<String> failures = load.failures();
        System.out.printf("kv swap under %d clients: %d requests, %d writes (%d before the swap, %d during and after), "
                + "%d keys holding a value, %d failures, swap %d ms from the copy into deploy/ to the new revision active%n", CLIENTS, load.requests(),
                load.writes(), writesBefore, writesDuring, held, failures.size(), swapMillis);
        assertTrue(writesBefore > 0 && writesDuring > 0, "writes before and during the swap");
        assertEquals(List.of(), failures.subList(0, Math.min(20, failures.size())), failures.size() + " failures");
        assertTrue(host.logLines().stream().anyMatch(l -> l.matches(".*Listener kv-tcp: state of kv .* handed over to kv .*")), "hand-over logged");
    }
}
