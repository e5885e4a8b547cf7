package io.portside.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real launcher processes on loopback behind a real HAProxy (round robin, {@code send-proxy-v2}, the agent
 * check) and behind nginx's stream module ({@code proxy_protocol on}): the address policy on every host judges the
 * real client, and under 100 clients a rolling upgrade of the echo jar and a rolling restart of the hosts fail no
 * request, because each host is drained through its agent first. Skips only where haproxy or nginx is not installed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FleetIT {

    private static final Duration SOON = Duration.ofSeconds(30);
    /** Four HAProxy agent probes (agent-inter 500ms): enough for HAProxy to have seen the drain. */
    private static final String STOP_DRAIN = "2s";
    private static final String INSTALL = "install it with: apt-get install haproxy nginx libnginx-mod-stream";
    private static final List<String> SERVED_SOURCES = List.of("127.0.0.10", "127.0.0.11", "127.0.0.12");

    @TempDir
    static Path dir;
    private final Optional<Path> haproxy = BalancerProcess.find("haproxy");
    private final Optional<Path> nginx = BalancerProcess.find("nginx");
    private final List<FleetHost> hosts = new ArrayList<>();

    @BeforeAll
    void startHosts() throws Exception {
        Assumptions.assumeTrue(haproxy.isPresent() || nginx.isPresent(), "Skipped: neither haproxy nor nginx found; " + INSTALL);
        for (int i = 1; i <= 3; i++) {
            hosts.add(FleetHost.create("host" + i, Files.createDirectories(dir.resolve("host" + i)), STOP_DRAIN));
        }
        for (FleetHost host : hosts) {
            host.start(Duration.ofSeconds(60));
        }
    }

    @AfterAll
    void stopHosts() {
        for (FleetHost host : hosts) {
            host.close();
        }
    }

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void behindHaproxyTheRealClientIsJudgedAndRollingUpgradesAndRestartsFailNoRequest() throws Exception {
        Assumptions.assumeTrue(haproxy.isPresent(), "Skipped: haproxy not found; " + INSTALL);
        int front = HostHarness.freePort();
        Path stats = dir.resolve("haproxy.sock");
        Path cfg = Files.writeString(dir.resolve("haproxy.cfg"), Haproxy.config(front, stats, hosts));
        String exe = haproxy.get().toString();
        try (BalancerProcess balancer = BalancerProcess.checkAndStart(List.of(exe, "-c", "-f", cfg.toString()),
                List.of(exe, "-db", "-f", cfg.toString()))) {
            for (FleetHost host : hosts) {
                awaitUp(stats, host, balancer);
            }
            assertDeniedRefusedOthersServed(front, "front");

            FleetLoad load = FleetLoad.start(front, FleetLoad.sources(100, 5), Duration.ofMillis(10));
            long loadBegan = System.nanoTime();
            try {
                Thread.sleep(2000);
                long before = load.failures();
                rollingUpgrade(stats, balancer);
                System.out.println("Fleet upgrade: " + (load.failures() - before) + " failed requests during the rolling upgrade; so far "
                        + load.summary());
                before = load.failures();
                rollingRestart(stats, balancer);
                System.out.println("Fleet restart: " + (load.failures() - before) + " failed requests during the rolling restart");
                Thread.sleep(1000);
            } finally {
                load.stop();
            }
            System.out.printf("Fleet load: 100 clients for %.1f s: %s%n", (System.nanoTime() - loadBegan) / 1e9, load.summary());
            load.described().forEach(f -> System.out.println("Fleet failure: " + f));
            assertEquals(0, load.failures(), load.summary() + "; first failures:\n" + String.join("\n", load.described()));
            assertTrue(load.served() > 1000, "too few requests served: " + load.summary());
            assertTrue(load.refused() > 0, "the denied clients were refused under load too: " + load.summary());
            for (FleetHost host : hosts) { // HAProxy's clients and its health checks all sent a valid header
                assertTrue(host.process().output().stream().noneMatch(l -> l.contains("bad PROXY protocol header")),
                        host.name + " closed a connection for its header:\n" + host.process().tail(0));
            }
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void behindNginxTheRealClientIsJudged() throws Exception {
        Assumptions.assumeTrue(nginx.isPresent(), "Skipped: nginx not found; " + INSTALL);
        Assumptions.assumeTrue(Nginx.hasStreamModule(), "Skipped: nginx's stream module " + Nginx.STREAM_MODULE + " not found; " + INSTALL);
        int front = HostHarness.freePort();
        Path prefix = Files.createDirectories(dir.resolve("nginx"));
        Path conf = Files.writeString(prefix.resolve("nginx.conf"), Nginx.config(front, prefix, hosts));
        String exe = nginx.get().toString();
        List<String> common = List.of("-e", prefix.resolve("error.log").toString(), "-p", prefix.toString(), "-c", conf.toString());
        List<String> check = new ArrayList<>(List.of(exe, "-t"));
        check.addAll(common);
        List<String> run = new ArrayList<>(List.of(exe));
        run.addAll(common);
        run.addAll(List.of("-g", "daemon off; master_process off;")); // in the foreground, one process: killing it ends it
        try (BalancerProcess balancer = BalancerProcess.checkAndStart(check, run)) {
            HostHarness.await(() -> accepts(front) || !balancer.isAlive(), SOON, "nginx to listen on " + front);
            assertTrue(balancer.isAlive(), "nginx ended:\n" + balancer.output());
            assertDeniedRefusedOthersServed(front, "front-v1");
        }
    }

    /** A fresh echo.jar on each host in turn; the next host only once HAProxy has this one UP again. */
    private void rollingUpgrade(Path stats, BalancerProcess balancer) throws IOException {
        for (FleetHost host : hosts) {
            long began = System.nanoTime();
            int line = host.process().lineCount();
            try (HaproxyWatch watch = new HaproxyWatch(stats, host.name)) {
                host.redeployEcho();
                host.process().awaitLine(line, l -> l.contains("Updated echo.jar"), SOON, host.name + " to update echo.jar");
                host.awaitServing(SOON);
                long serving = System.nanoTime();
                awaitUp(stats, host, balancer);
                System.out.printf("Fleet upgrade: %s serves the new echo.jar %d ms after the copy, back in rotation after %d ms;"
                        + " HAProxy saw %s%n", host.name, ms(serving - began), ms(System.nanoTime() - began), watch.finish());
            }
        }
    }

    /** SIGTERM each host in turn, wait for its exit, start it on the same ports; the next once HAProxy has it UP. */
    private void rollingRestart(Path stats, BalancerProcess balancer) throws IOException, InterruptedException {
        for (FleetHost host : hosts) {
            try (HaproxyWatch watch = new HaproxyWatch(stats, host.name)) {
                long stopTook = host.stop();
                long stopped = System.nanoTime();
                host.start(Duration.ofSeconds(60));
                awaitUp(stats, host, balancer);
                System.out.printf("Fleet restart: %s stop took %d ms (stop.drain=%s), back in rotation %d ms after its exit;"
                        + " HAProxy saw %s%n", host.name, stopTook, STOP_DRAIN, ms(System.nanoTime() - stopped), watch.finish());
            }
        }
    }

    /** Through the balancer: the denied source is closed without a reply by every host, the others are answered. */
    private void assertDeniedRefusedOthersServed(int front, String listener) throws IOException {
        for (int i = 0; i < 2 * hosts.size(); i++) { // round robin: every host gets the denied client
            assertTrue(Wire.rejected("127.0.0.1", front, FleetHost.DENIED), "a client from " + FleetHost.DENIED + " is refused");
        }
        for (FleetHost host : hosts) {
            host.awaitRejected(listener, FleetHost.DENIED, SOON);
        }
        for (String source : SERVED_SOURCES) {
            for (int i = 0; i < hosts.size(); i++) {
                try (Socket s = Wire.connect("127.0.0.1", front, source)) {
                    assertEquals("FROM " + source, HostHarness.exchange(s, "from " + source), "a client from " + source + " is served");
                }
            }
        }
    }

    private static void awaitUp(Path stats, FleetHost host, BalancerProcess balancer) {
        HostHarness.await(() -> "UP".equals(Haproxy.status(stats, host.name)), SOON,
                () -> "HAProxy to see " + host.name + " UP (now " + Haproxy.status(stats, host.name) + "); haproxy said:\n" + balancer.output());
    }

    private static boolean accepts(int port) {
        try (Socket s = Wire.connect("127.0.0.1", port, null)) {
            return s.isConnected();
        } catch (IOException notYet) {
            return false;
        }
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
