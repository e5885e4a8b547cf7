package io.portside.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The executable jar with an agent, stopped the way a service manager does it: SIGTERM, drain, serve, then exit 0. */
class AgentProcessIT {

    @TempDir
    Path home;

    @Test
    void aSecondSigtermSkipsTheRestOfTheDrain() throws Exception {
        try (LauncherProcess launcher = startWithAgent("60s")) {
            long began = System.nanoTime();
            launcher.process().toHandle().destroy();
            HostHarness.await(() -> "up drain #host stopping\n".equals(probe(agentPort)), Duration.ofSeconds(5),
                    () -> "the agent to say drain; output:\n" + launcher.tail(0));
            launcher.process().toHandle().destroy();
            assertTrue(launcher.process().waitFor(20, TimeUnit.SECONDS), "stops soon after a second SIGTERM; output:\n" + launcher.tail(0));
            assertEquals(0, launcher.process().exitValue(), launcher.tail(0));
            assertTrue(Duration.ofNanos(System.nanoTime() - began).toSeconds() < 30, "the drain was not cut short");
            launcher.awaitOutput("Skipping the rest of the drain", Duration.ofSeconds(5));
            launcher.awaitOutput("Listener echo-tcp unbound tcp://127.0.0.1:" + port + ": host stopping", Duration.ofSeconds(5));
        }
    }

    /** The agent's reply, or null when it cannot be reached. */
    private static String probe(int agentPort) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", agentPort), 2000);
            s.setSoTimeout(5000);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            s.getInputStream().transferTo(out);
            return out.toString(StandardCharsets.US_ASCII);
        } catch (IOException refused) {
            return null;
        }
    }

    private int port;
    private int agentPort;

    /** Echo on {@link #port} and the agent on {@link #agentPort}, with {@code stopDrain}; started and up. */
    private LauncherProcess startWithAgent(String stopDrain) throws Exception {
        port = HostHarness.freePort();
        agentPort = HostHarness.freePort();
        Path deploy = Files.createDirectories(home.resolve("deploy"));
        Files.copy(HostHarness.sampleBundle("echo"), deploy.resolve("echo.jar"));
        Files.writeString(deploy.resolve("io.portside.sample.echo.stream.cfg"), "portside.endpoint=tcp://127.0.0.1:" + port + "\n");
        Files.writeString(deploy.resolve("io.portside.agent.cfg"), "endpoint=tcp://127.0.0.1:" + agentPort + "\nstop.drain=" + stopDrain + "\n");
        LauncherProcess launcher = LauncherProcess.start(home);
        HostHarness.awaitAnswer(port, "hello", "HELLO", Duration.ofSeconds(30));
        HostHarness.await(() -> "up ready\n".equals(probe(agentPort)), Duration.ofSeconds(15), "the agent to say up ready");
        return launcher;
    }

    @Test
    void sigtermReportsDrainWhileServingThenExitsZero() throws Exception {
        try (LauncherProcess launcher = startWithAgent("2s")) {

            long began = System.nanoTime();
            launcher.process().toHandle().destroy(); // SIGTERM
            HostHarness.await(() -> "up drain #host stopping\n".equals(probe(agentPort)), Duration.ofSeconds(5),
                    () -> "the agent to say drain; output:\n" + launcher.tail(0));
            assertEquals("STILL SERVED", HostHarness.exchange(port, "still served"), "new connections are served while draining");
            assertTrue(launcher.process().waitFor(30, TimeUnit.SECONDS), "stops within 30 s of SIGTERM");
            long tookMillis = Duration.ofNanos(System.nanoTime() - began).toMillis();
            assertEquals(0, launcher.process().exitValue(), launcher.tail(0));
            assertTrue(tookMillis >= 2000, "exited " + tookMillis + " ms after SIGTERM, before stop.drain ran out");
            launcher.awaitOutput("health agent reports drain for 2000 ms before the listeners close", Duration.ofSeconds(5));
            HostHarness.awaitRefused(port, Duration.ofSeconds(5));
        }
    }
}
