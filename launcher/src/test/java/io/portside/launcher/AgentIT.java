package io.portside.launcher;

import static io.portside.launcher.HostHarness.await;
import static io.portside.launcher.HostHarness.awaitAnswer;
import static io.portside.launcher.HostHarness.awaitRefused;
import static io.portside.launcher.HostHarness.exchange;
import static io.portside.launcher.HostHarness.freePort;
import static io.portside.launcher.HostHarness.testBundle;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HAProxy agent-check endpoint on a real host: {@code up ready} while its listeners serve, {@code down} when a
 * required one fails, {@code up drain} while one is in its gap and while the host stops (still serving), probed the
 * way HAProxy does: connect, send the agent-send line, read one line, see the agent close.
 */
class AgentIT {

    private static final Duration SOON = Duration.ofSeconds(15);

    @TempDir
    Path home;
    HostHarness host;
    int port;
    int agentPort;

    @BeforeEach
    void boot() throws Exception {
        host = HostHarness.start(home, Map.of());
        port = freePort();
        agentPort = freePort();
    }

    @AfterEach
    void stop() {
        host.close();
    }

    private void configureAgent(String extra) throws IOException {
        host.writeConfig("io.portside.agent.cfg", "endpoint=tcp://127.0.0.1:" + agentPort + "\n" + extra);
    }

    private void serveBanner(String extraConfig) throws Exception {
        host.writeConfig("io.portside.listener-banner.cfg", "endpoint=tcp://127.0.0.1:" + port + "\nhandler=banner\n" + extraConfig);
        host.deploy(testBundle("banner-v1"), "banner.jar");
        awaitAnswer(port, "ready", "v1:ready", SOON);
    }

    /** What the agent says to one probe, up to its close; null when the agent port refuses. */
    private String probe() throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", agentPort), 2000);
            s.setSoTimeout(5000);
            s.getOutputStream().write("portside/host1\n".getBytes(StandardCharsets.US_ASCII));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            s.getInputStream().transferTo(out);
            return out.toString(StandardCharsets.US_ASCII);
        } catch (ConnectException refused) {
            return null;
        }
    }

    private void awaitAgent(String expected) {
        String[] last = new String[1];
        await(() -> {
            try {
                last[0] = probe();
            } catch (IOException e) {
                last[0] = e.toString();
            }
            return expected.equals(last[0]);
        }, SOON, () -> "the agent to say '" + expected.strip() + "' (last: " + last[0] + ")");
    }

    @Test
    void upWhileServingDrainInTheGapAndReadyAgainAfterTheSwap() throws Exception {
        configureAgent("stop.drain=0s\n");
        serveBanner("gap.timeout=20s\n");
        awaitAgent("up ready\n");

        host.delete("banner.jar");
        host.awaitListener("banner", RuntimeListener::inGap, SOON);
        awaitAgent("up drain #listener banner in its gap\n");

        host.deploy(testBundle("banner-v2"), "banner.jar");
        awaitAnswer(port, "back", "v2:back", SOON);
        awaitAgent("up ready\n");
    }

    @Test
    void aRequiredListenerWhosePortIsTakenIsDownUntilItBinds() throws Exception {
        int takenPort = freePort();
        try (ServerSocket squatter = new ServerSocket(takenPort, 1, InetAddress.getLoopbackAddress())) { // held: the port is taken
            configureAgent("stop.drain=0s\nlisteners=banner,second\n");
            serveBanner("");
            host.writeConfig("io.portside.listener-second.cfg", "endpoint=tcp://127.0.0.1:" + takenPort + "\nhandler=banner\n");
            host.awaitListener("second", RuntimeListener::failed, SOON);
            awaitAgent("down #listener second failed: bind_failed\n");
        }
        awaitAnswer(takenPort, "bound", "v1:bound", Duration.ofSeconds(40)); // the host retries the bind
        awaitAgent("up ready\n");
    }

    @Test
    void aStoppingHostReportsDrainForStopDrainWhileItStillServesThenCloses() throws Exception {
        Duration stopDrain = Duration.ofSeconds(3);
        configureAgent("stop.drain=" + stopDrain.toMillis() + "ms\n");
        serveBanner("");
        awaitAgent("up ready\n");

        long began = System.nanoTime();
        Thread stopping = Thread.ofPlatform().name("test-stop").start(() -> host.host().stop());
        awaitAgent("up drain #host stopping\n");
        int servedWhileDraining = 0;
        while (System.nanoTime() - began < stopDrain.minusMillis(700).toNanos()) {
            assertEquals("v1:new" + servedWhileDraining, exchange(port, "new" + servedWhileDraining), "new connections are still served");
            assertEquals("up drain #host stopping\n", probe());
            servedWhileDraining++;
            Thread.sleep(100);
        }
        stopping.join(30_000);
        long tookMillis = Duration.ofNanos(System.nanoTime() - began).toMillis();
        assertTrue(tookMillis >= stopDrain.toMillis(), "stopped after only " + tookMillis + " ms");
        assertTrue(servedWhileDraining >= 5, "served " + servedWhileDraining + " connections while draining");
        awaitRefused(port, SOON);
        assertNull(probe(), "the agent closes with the host");
    }

    @Test
    void withoutAnAgentAStopIsNotDelayed() throws Exception {
        serveBanner("");
        assertNull(host.host().context().getServiceReferences(Runnable.class.getName(), "(portside.stop=drain)"), "no drain hook without an agent");
        long began = System.nanoTime();
        host.host().stop();
        long tookMillis = Duration.ofNanos(System.nanoTime() - began).toMillis();
        assertTrue(tookMillis < 4000, "stopping took " + tookMillis + " ms");
        awaitRefused(port, SOON);
    }
}
