package io.portside.launcher;

import static io.portside.launcher.HostHarness.awaitAnswer;
import static io.portside.launcher.HostHarness.exchange;
import static io.portside.launcher.HostHarness.freePort;
import static io.portside.launcher.HostHarness.sampleBundle;
import static io.portside.launcher.HostHarness.testBundle;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bad configuration, a taken or foreign address and a broken component, on the real host: each fails closed,
 * is explained in one line, and is picked up again once it is fixed.
 */
class FailSafeIT {

    private static final Duration SOON = Duration.ofSeconds(10);

    @TempDir
    Path home;
    HostHarness host;

    @AfterEach
    void stop() {
        if (host != null) {
            host.close();
        }
    }

    private void boot() throws Exception {
        host = HostHarness.start(home, Map.of());
    }

    /** The README's example once had trailing comments: the invalid listener must not let echo's own endpoint open unguarded. */
    @Test
    void anInvalidListenerConfigurationKeepsItsEndpointClosed() throws Exception {
        boot();
        int port = freePort();
        host.writeNewConfig("io.portside.policy.address-office.cfg", "portside.policy=office\nallow=10.20.0.0/16\n");
        host.writeNewConfig("io.portside.sample.echo.stream.cfg", "portside.endpoint=tcp://127.0.0.1:" + port + "\n");
        host.writeNewConfig("io.portside.listener-office-echo.cfg", "endpoint=tcp://127.0.0.1:" + port + "\nhandler=echo\n"
                + "concurrency=pool            # sync | threading | pool | virtual | forking\npolicy.required=office\n");
        host.deploy(sampleBundle("policy-address"), "policy-address.jar");
        host.deploy(sampleBundle("echo"), "echo.jar");
        host.awaitLog("Listener office-echo on tcp://127\\.0\\.0\\.1:" + port + " failed: bad configuration .*io\\.portside\\.listener-office-echo\\.cfg: "
                + "'concurrency': unknown concurrency 'pool +# sync.*; note: 'concurrency' is 'pool +# sync.*': a \\.cfg file has no comments after a value.*"
                + "tcp://127\\.0\\.0\\.1:" + port + " stays closed until the file is fixed or removed", SOON);
        Thread.sleep(1000); // echo is active by now (its datagram endpoints are not claimed)
        assertNull(exchange(port, "let me in"), "nobody serves the claimed endpoint");

        host.writeConfig("io.portside.listener-office-echo.cfg", "endpoint=tcp://127.0.0.1:" + port + "\nhandler=echo\n"
                + "# sync | threading | pool | virtual | forking\nconcurrency=pool\npolicy.required=office\n");
        host.awaitListener("office-echo", l -> l.bound() && l.endpoint().equals("tcp://127.0.0.1:" + port) && l.handler().name().equals("echo")
                && l.policies().equals(List.of("office")), SOON);
        assertNull(exchange(port, "still not"), "the policy rejects 127.0.0.1");
        host.awaitLog("Listener office-echo: rejected /127\\.0\\.0\\.1:\\d+: office", SOON);
        host.awaitListener("office-echo", l -> l.rejected() >= 1, SOON);
        assertTrue(host.logLines().stream().noneMatch(l -> l.contains("STILL NOT") || l.contains("LET ME IN")));
    }

    @Test
    void anInvalidConfigurationClaimingAServedEndpointClosesIt() throws Exception {
        boot();
        int port = freePort();
        host.writeNewConfig("io.portside.sample.echo.stream.cfg", "portside.endpoint=tcp://127.0.0.1:" + port + "\n");
        host.deploy(sampleBundle("echo"), "echo.jar");
        awaitAnswer(port, "open", "OPEN", SOON);
        host.writeConfig("io.portside.listener-office-echo.cfg", "endpoint=tcp://127.0.0.1:" + port + "   # office only\nhandler=echo\n"
                + "policy.required=office\n");
        host.awaitLog("Listener echo-tcp unbound tcp://127\\.0\\.0\\.1:" + port + ": listener office-echo claims it, and its configuration is invalid", SOON);
        HostHarness.awaitRefused(port, SOON);
        host.awaitLog("Listener office-echo on tcp://127\\.0\\.0\\.1:" + port + " failed: bad configuration .*'endpoint'.*"
                + "note: 'endpoint' is 'tcp://127\\.0\\.0\\.1:" + port + " +# office only'", SOON);
    }

    @Test
    void aBrokenEditKeepsTheLastGoodConfigurationAndSaysSo() throws Exception {
        boot();
        int port = freePort();
        host.writeNewConfig("io.portside.listener-banner.cfg", "endpoint=tcp://127.0.0.1:" + port + "\nhandler=banner\n");
        host.deploy(testBundle("banner-v1"), "banner.jar");
        awaitAnswer(port, "hi", "v1:hi", SOON);
        host.writeConfig("io.portside.listener-banner.cfg", "endpoint=tcp://127.0.0.1:" + port + "\nhandler=banner\npolcy.required=office\n");
        host.awaitLog("WARN .*Listener banner: bad configuration .*io\\.portside\\.listener-banner\\.cfg: unknown key 'polcy\\.required' "
                + "\\(known: .*\\); it keeps its last good configuration until the file is fixed", SOON);
        assertEquals("v1:same", exchange(port, "same"));
        RuntimeListener banner = host.listener("banner");
        assertTrue(banner.bound() && banner.failureMatches("unknown key 'polcy\\.required'"), host.runtimeJson());
    }

    @Test
    void anAddressNotOnThisMachineIsReportedAsSuch() throws Exception {
        boot();
        // 192.0.2.0/24 is TEST-NET-1: never configured here. Binding to it sends nothing anywhere.
        host.writeNewConfig("io.portside.listener-foreign.cfg", "endpoint=tcp://192.0.2.1:" + freePort() + "\nhandler=banner\n");
        host.deploy(testBundle("banner-v1"), "banner.jar");
        String line = host.awaitLog("Listener foreign on tcp://192\\.0\\.2\\.1:\\d+ failed: cannot bind", SOON);
        assertTrue(line.contains("the address is not on this machine"), line);
        assertTrue(!line.contains("already in use"), line);
    }

    @Test
    void aPortThatIsFreedLaterIsBoundWithoutTouchingTheFile() throws Exception {
        boot();
        ServerSocket squatter = new ServerSocket();
        squatter.bind(new InetSocketAddress("127.0.0.1", 0));
        int port = squatter.getLocalPort();
        try {
            host.writeNewConfig("io.portside.listener-late.cfg", "endpoint=tcp://127.0.0.1:" + port + "\nhandler=banner\n");
            host.deploy(testBundle("banner-v1"), "banner.jar");
            host.awaitLog("Listener late on tcp://127\\.0\\.0\\.1:" + port + " failed: cannot bind .*address already in use.*retrying with back-off", SOON);
            assertTrue(host.listener("late").failed(), host.runtimeJson());
            Thread.sleep(3500); // several retries (1 s, 2 s): none of them logs again
        } finally {
            squatter.close();
        }
        awaitAnswer(port, "now", "v1:now", Duration.ofSeconds(20));
        host.awaitBound("late", "tcp://127.0.0.1:" + port, SOON);
        host.awaitLog("Listener late bound tcp://127\\.0\\.0\\.1:" + port + ": .*\\(after failing for \\d+ s\\)", SOON);
        List<String> failures = host.logLines().stream().filter(l -> l.contains("Listener late on") && l.contains("failed")).toList();
        assertEquals(1, failures.size(), String.join("\n", failures));
    }

    @Test
    void aComponentThatFailsToActivateIsOneLineNamingItsBundleAndEndpoint() throws Exception {
        boot();
        int port = freePort();
        host.writeNewConfig("io.portside.fixture.banner.broken.cfg", "portside.endpoint=tcp://127.0.0.1:" + port + "\nactivate.fail=true\n");
        host.deploy(testBundle("banner-v1"), "banner.jar");
        host.awaitLog("Listener broken on tcp://127\\.0\\.0\\.1:" + port + " failed: component io\\.portside\\.fixture\\.banner\\.broken of bundle "
                + "io\\.portside\\.fixture\\.banner 1\\.0\\.0 failed to activate, so tcp://127\\.0\\.0\\.1:" + port + " is not served: "
                + "java\\.lang\\.IllegalStateException: activation failure requested by activate\\.fail", SOON);
        RuntimeListener broken = host.listener("broken");
        assertTrue(broken.failed() && broken.failureMatches("activation failure requested"), host.runtimeJson());
    }

    /** A handler moved by a .cfg in deploy/ at start never binds its built-in endpoints, not even briefly. */
    @Test
    void configurationsInDeployAreAppliedBeforeAnyDefaultEndpointIsBound() throws Exception {
        int port = freePort();
        Path deploy = Files.createDirectories(home.resolve("deploy"));
        Files.copy(sampleBundle("echo"), deploy.resolve("echo.jar"));
        Files.writeString(deploy.resolve("io.portside.sample.echo.stream.cfg"), "portside.endpoint=tcp://127.0.0.1:" + port + "\n");
        // echo's datagram endpoint is taken over by a listener configuration (as one would to add policies).
        Files.writeString(deploy.resolve("io.portside.listener-echo-udp-owned.cfg"), "endpoint=udp://127.0.0.1:9999\nhandler=echo\nconcurrency=threading\n");
        Files.writeString(deploy.resolve("io.portside.listener-echo-unixgram-owned.cfg"),
                "endpoint=unixgram:sockets/echo-dgram.sock\nhandler=echo\nconcurrency=threading\n");
        boot();
        awaitAnswer(port, "moved", "MOVED", SOON);
        host.awaitListener("echo-udp-owned", l -> (l.bound() || l.failed()) && l.endpoint().equals("udp://127.0.0.1:9999"), SOON);
        host.awaitListener("echo-unixgram-owned", l -> l.bound() && l.endpoint().startsWith("unixgram:"), SOON);
        Thread.sleep(500);
        List<String> defaults = host.logLines().stream().filter(l -> l.matches(".*Listener echo-\\w+ (bound|on) .*(:9999|echo\\.sock|echo-dgram\\.sock).*")).toList();
        assertEquals(List.of(), defaults);
    }
}
