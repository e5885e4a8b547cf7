package io.portside.launcher;

import static io.portside.launcher.HostHarness.awaitAnswer;
import static io.portside.launcher.HostHarness.exchange;
import static io.portside.launcher.HostHarness.freePort;
import static io.portside.launcher.HostHarness.testBundle;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Forking listeners on the real host: a handler bundle that declares {@code concurrency = "forking"} is served by worker
 * processes running the bundle's own classes; handler exceptions and worker deaths are reported per request; a bundle
 * swap keeps pinned connections on their revision's workers, refuses no one, and retires the old workers; and no worker
 * outlives the host.
 */
class ForkingHostIT {

    private static final Duration SOON = Duration.ofSeconds(30);

    @TempDir
    Path home;
    HostHarness host;
    int port;

    @BeforeEach
    void boot() throws Exception {
        host = HostHarness.start(home, Map.of());
        port = freePort();
    }

    @AfterEach
    void stop() throws Exception {
        long stopping = System.nanoTime();
        host.close();
        HostHarness.await(() -> workers(ProcessHandle.current()).isEmpty(), Duration.ofSeconds(10),
                "no worker process left after the host stopped: " + workers(ProcessHandle.current()));
        // What a user watching the log sees: the forking listener's close (workers stopped, their classes deleted)
        // ends with its line, however the close's cleanup steps interleave.
        List<String> atStop = host.logLinesSince(stopping);
        assertTrue(atStop.stream().anyMatch(l -> l.matches(".*Listener \\S+ unbound tcp://127\\.0\\.0\\.1:" + port + ": host stopping")),
                "no 'unbound ...: host stopping' line for port " + port + ":\n" + String.join("\n", atStop));
    }

    @Test
    void aHandlerThatAsksForForkingIsServedByWorkerProcesses() throws Exception {
        host.writeConfig("io.portside.fixture.forking.cfg", "portside.endpoint=tcp://127.0.0.1:" + port + "\n");
        host.deploy(testBundle("forking-probe"), "probe.jar");
        awaitAnswer(port, "hello", "HELLO", SOON);
        host.awaitListener("probe-tcp", l -> l.bound() && l.endpoint().equals("tcp://127.0.0.1:" + port) && l.handler().name().equals("probe")
                && l.concurrency().startsWith("forking"), SOON);
        long pid = Long.parseLong(exchange(port, "pid"));
        assertNotEquals(ProcessHandle.current().pid(), pid);
        assertTrue(workers(ProcessHandle.current()).contains(pid), "served by a worker process of this host");

        try (Socket s = connect()) {
            assertNull(exchange(s, "boom"), "the connection closes after the handler's exception");
        }
        host.awaitLog("Listener probe-tcp: handler probe .* failed on a request from .*IllegalStateException: boom requested by the client "
                + "\\(in worker pid \\d+\\)", SOON);

        try (Socket bystander = connect(); Socket victim = connect()) {
            assertEquals("BEFORE", exchange(bystander, "before"));
            long victimPid = Long.parseLong(exchange(victim, "pid"));
            assertNull(exchange(victim, "exit"), "the dying worker's connection closes");
            host.awaitLog("Worker pid " + victimPid + " .* died while serving .*: exit status 7", SOON);
            assertEquals("AFTER", exchange(bystander, "after"), "a client on another worker is still served");
        }
        awaitAnswer(port, "next", "NEXT", SOON);
    }

    @Test
    void aSwapKeepsPinnedConnectionsOnTheirRevisionAndRetiresTheOldWorkers() throws Exception {
        host.writeConfig("io.portside.listener-banner.cfg", "endpoint=tcp://127.0.0.1:" + port
                + "\nhandler=banner\nconcurrency=forking\nforking.min.idle=1\nforking.max.children=12\n");
        host.deploy(testBundle("banner-v1"), "banner.jar");
        awaitAnswer(port, "ready", "v1:ready", SOON);
        host.awaitListener("banner", l -> l.bound() && l.endpoint().equals("tcp://127.0.0.1:" + port) && l.handler().name().equals("banner")
                && l.concurrency().equals("forking(max 12, min idle 1)"), SOON);
        Set<Long> v1Workers;
        try (Socket pinned = connect()) {
            assertEquals("v1:before", exchange(pinned, "before"));
            v1Workers = workers(ProcessHandle.current());
            SwapLoad load = SwapLoad.start(port, 4, 3, ForkingHostIT::bannerVersion);
            try {
                Thread.sleep(500);
                host.deploy(testBundle("banner-v2"), "banner.jar");
                awaitAnswer(port, "new", "v2:new", SOON);
                Thread.sleep(500);
            } finally {
                load.stop();
            }
            assertEquals(List.of(), load.errors().subList(0, Math.min(10, load.errors().size())), load.errors().size() + " errors; host log:\n"
                    + String.join("\n", host.logLines()));
            assertTrue(load.requests() > 0, "the load was served");
            assertEquals("v1:still", exchange(pinned, "still"), "a pinned connection stays on its revision's worker");
        }
        HostHarness.await(() -> v1Workers.stream().noneMatch(ForkingHostIT::alive), SOON,
                "the old revision's workers to exit once their connections closed: " + v1Workers);
        assertEquals("v2:after", exchange(port, "after"));
    }

    private Socket connect() throws Exception {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        s.setSoTimeout(20_000);
        return s;
    }

    private static String bannerVersion(String requestAndReply) {
        String[] parts = requestAndReply.split("\u0000", 2);
        for (String v : new String[] {"v1", "v2"}) {
            if (parts[1].equals(v + ":" + parts[0])) {
                return v;
            }
        }
        return null;
    }

    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** The live forking worker processes among {@code parent}'s children. */
    static Set<Long> workers(ProcessHandle parent) {
        return parent.children().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().orElse("").contains("io.portside.server.forking.internal.WorkerMain"))
                .map(ProcessHandle::pid).collect(Collectors.toSet());
    }
}
