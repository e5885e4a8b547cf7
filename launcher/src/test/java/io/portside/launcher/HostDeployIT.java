package io.portside.launcher;

import static io.portside.launcher.HostHarness.awaitAnswer;
import static io.portside.launcher.HostHarness.awaitRefused;
import static io.portside.launcher.HostHarness.exchange;
import static io.portside.launcher.HostHarness.freePort;
import static io.portside.launcher.HostHarness.sampleBundle;
import static io.portside.launcher.HostHarness.testBundle;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deploy folder end to end, on the real launcher: real bundles built by this build are dropped into
 * {@code deploy/}, replaced and deleted, and their listeners are talked to over loopback.
 */
class HostDeployIT {

    private static final Duration SOON = Duration.ofSeconds(10);

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
    void handlerJarIsServedReplacedByANewVersionAndUnboundWhenDeleted() throws Exception {
        int port = freePort();
        host.writeConfig("io.portside.listener-banner.cfg",
                "endpoint=tcp://127.0.0.1:" + port + "\nhandler=banner\ngap.timeout=1s\n");
        host.deploy(testBundle("banner-v1"), "banner.jar");
        awaitAnswer(port, "hello", "v1:hello", SOON);
        RuntimeListener bound = host.awaitBound("banner", "tcp://127.0.0.1:" + port, SOON);
        assertEquals(new RuntimeListener.Handler("banner", "io.portside.fixture.banner", "1.0.0", bound.handler().serviceId(),
                bound.handler().ranking(), bound.handler().openConnections()), bound.handler());
        assertEquals("virtual", bound.concurrency());

        host.deploy(testBundle("banner-v2"), "banner.jar");
        awaitAnswer(port, "hello", "v2:hello", SOON);

        host.delete("banner.jar");
        awaitRefused(port, SOON);
        host.awaitUnbound("banner", SOON);
    }

    @Test
    void theRuntimeViewCountsTheBytesOfEndedConnections() throws Exception {
        int port = freePort();
        host.writeConfig("io.portside.listener-banner.cfg", "endpoint=tcp://127.0.0.1:" + port + "\nhandler=banner\n");
        host.deploy(testBundle("banner-v1"), "banner.jar");
        awaitAnswer(port, "warm", "v1:warm", SOON);
        RuntimeListener warm = host.awaitListener("banner", l -> l.bytesOut() >= 8, SOON); // the warm-up connection counted
        long in = warm.bytesIn();
        long out = warm.bytesOut();
        assertEquals("v1:abc", exchange(port, "abc")); // 4 bytes in ("abc\n"), 7 out ("v1:abc\n")
        host.awaitListener("banner", l -> l.bytesIn() == in + 4 && l.bytesOut() == out + 7, SOON);
    }

    @Test
    void configFileMovesAHandlersOwnEndpointWithoutCodeChanges() throws Exception {
        int first = freePort();
        int second = freePort();
        host.writeConfig("io.portside.sample.echo.stream.cfg", "portside.endpoint=tcp://127.0.0.1:" + first + "\n");
        host.deploy(sampleBundle("echo"), "echo.jar");
        awaitAnswer(first, "hello world", "HELLO WORLD", SOON);

        host.writeConfig("io.portside.sample.echo.stream.cfg", "portside.endpoint=tcp://127.0.0.1:" + second + "\n");
        awaitAnswer(second, "moved", "MOVED", SOON);
        awaitRefused(first, SOON);
    }

    @Test
    void brokenJarAndBrokenConfigAreReportedWhileEchoKeepsAnswering() throws Exception {
        int port = freePort();
        host.writeConfig("io.portside.sample.echo.stream.cfg", "portside.endpoint=tcp://127.0.0.1:" + port + "\n");
        host.deploy(sampleBundle("echo"), "echo.jar");
        awaitAnswer(port, "before", "BEFORE", SOON);

        Path garbage = home.resolve("garbage.bin");
        Files.write(garbage, "this is not a jar".getBytes());
        host.deploy(garbage, "broken.jar");
        host.writeConfig("io.portside.listener-bad.cfg", "endpoint=tcp://no-such-host.invalid:80\nhandler=echo\n");
        host.awaitLog("(?i)broken\\.jar", SOON);
        host.awaitLog("Listener bad on .* failed: bad configuration .*io\\.portside\\.listener-bad\\.cfg.*unknown host", SOON);
        host.awaitListener("bad", l -> l.failed() && l.failureMatches("bad configuration .*io\\.portside\\.listener-bad\\.cfg.*unknown host"), SOON);

        assertEquals("AFTER", exchange(port, "after"));
    }

    @Test
    void aHandlerExceptionIsOneLogLineAndTheListenerKeepsServing() throws Exception {
        int port = freePort();
        host.writeConfig("io.portside.listener-banner.cfg", "endpoint=tcp://127.0.0.1:" + port + "\nhandler=banner\n");
        host.deploy(testBundle("banner-v1"), "banner.jar");
        awaitAnswer(port, "hi", "v1:hi", SOON);

        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            s.setSoTimeout(5000);
            assertNull(exchange(s, "boom"), "the failing request's connection is closed (EOF)");
        }
        String line = host.awaitLog("Listener banner: handler banner .* failed on a request from .*IllegalStateException: boom requested", SOON);
        assertTrue(line.startsWith("20"), line);
        host.awaitListener("banner", l -> l.errors() == 1, SOON);
        assertEquals("v1:again", exchange(port, "again"));
    }

    @Test
    void anErrorFromAHandlerIsOneLogLineCountedAndTheHostServesOn() throws Exception {
        int port = freePort();
        host.writeConfig("io.portside.listener-banner.cfg", "endpoint=tcp://127.0.0.1:" + port + "\nhandler=banner\nconcurrency=virtual\n");
        host.deploy(testBundle("banner-v1"), "banner.jar");
        awaitAnswer(port, "hi", "v1:hi", SOON);

        for (String command : new String[] {"overflow", "oom"}) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
                s.setSoTimeout(5000);
                assertNull(exchange(s, command), command + ": the failing request's connection is closed (EOF)");
            }
        }
        host.awaitLog("Listener banner: handler banner \\(io\\.portside\\.fixture\\.banner 1\\.0\\.0\\) failed on a request from "
                + "/127\\.0\\.0\\.1:\\d+: java\\.lang\\.StackOverflowError$", SOON);
        host.awaitLog("Listener banner: handler banner .* failed on a request from .*: java\\.lang\\.OutOfMemoryError: oom requested", SOON);
        assertEquals("v1:again", exchange(port, "again"));
        assertEquals(2, host.listener("banner").errors(), host.runtimeJson());
    }

    @Test
    void aClientResetIsNoHandlerFailure() throws Exception {
        int port = freePort();
        host.writeConfig("io.portside.listener-banner.cfg", "endpoint=tcp://127.0.0.1:" + port + "\nhandler=banner\n");
        host.deploy(testBundle("banner-v1"), "banner.jar");
        awaitAnswer(port, "hi", "v1:hi", SOON);
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            s.setSoLinger(true, 0); // close() sends RST
            java.io.OutputStream out = s.getOutputStream();
            byte[] lines = "x\n".repeat(200_000).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            out.write(lines, 0, 64 * 1024); // replies pile up unread while the client resets
        }
        host.awaitLog("Listener banner: client /127\\.0\\.0\\.1:\\d+ reset the connection while handler banner .* served it", SOON);
        assertTrue(host.logLines().stream().noneMatch(l -> l.contains("failed on a request")), String.join("\n", host.logLines()));
        assertEquals(0, host.listener("banner").errors(), host.runtimeJson());
    }

    @Test
    void aPortInUseFailsOnlyThatListener() throws Exception {
        int free = freePort();
        try (ServerSocket squatter = new ServerSocket()) {
            squatter.bind(new InetSocketAddress("127.0.0.1", 0));
            int taken = squatter.getLocalPort();
            host.writeConfig("io.portside.listener-busy.cfg", "endpoint=tcp://127.0.0.1:" + taken + "\nhandler=banner\n");
            host.writeConfig("io.portside.listener-banner.cfg", "endpoint=tcp://127.0.0.1:" + free + "\nhandler=banner\n");
            host.deploy(testBundle("banner-v1"), "banner.jar");
            host.awaitListener("busy", l -> l.failed() && l.endpoint().equals("tcp://127.0.0.1:" + taken)
                    && l.failureMatches("cannot bind .*address already in use"), SOON);
            awaitAnswer(free, "ok", "v1:ok", SOON);
        }
    }

    @Test
    void temporaryFileNamesAreNeverPickedUp() throws Exception {
        int port = freePort();
        host.writeConfig("io.portside.sample.echo.stream.cfg", "portside.endpoint=tcp://127.0.0.1:" + port + "\n");
        for (String name : new String[] {"echo.jar.tmp", "echo.jar.part", ".echo.jar"}) {
            Files.copy(sampleBundle("echo"), host.deploy().resolve(name));
        }
        Thread.sleep(1500); // many poll cycles (100 ms): nothing may be installed meanwhile
        assertNull(exchange(port, "anyone"), "no listener from a temporary file");
        host.deploy(sampleBundle("echo"), "echo.jar");
        awaitAnswer(port, "now", "NOW", SOON);
    }

    static boolean free(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
