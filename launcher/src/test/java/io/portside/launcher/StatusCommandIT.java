package io.portside.launcher;

import static io.portside.launcher.HostHarness.await;
import static io.portside.launcher.HostHarness.awaitAnswer;
import static io.portside.launcher.HostHarness.freePort;
import static io.portside.launcher.HostHarness.sampleBundle;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code portside status}, {@code top} and {@code stop} against the real launcher in its own JVM, as a script or a
 * health check would run them: no terminal on either side.
 */
class StatusCommandIT {

    private static final Duration SOON = Duration.ofSeconds(30);

    @TempDir
    Path home;

    /** The echo sample on free ports (stream and datagram), nothing else: no sample's default port is bound. */
    private int deployEcho() throws IOException {
        int port = freePort();
        Path deploy = Files.createDirectories(home.resolve("deploy"));
        Files.copy(sampleBundle("echo"), deploy.resolve("echo.jar"));
        Files.writeString(deploy.resolve("io.portside.sample.echo.stream.cfg"), "portside.endpoint=tcp://127.0.0.1:" + port + "\n");
        Files.writeString(deploy.resolve("io.portside.sample.echo.datagram.cfg"), "portside.endpoint=udp://127.0.0.1:" + freePort() + "\n");
        return port;
    }

    @Test
    void statusWhileRunningThenStopEndsTheHostLikeSigterm() throws Exception {
        int port = deployEcho();
        try (LauncherProcess host = LauncherProcess.start(home)) {
            awaitAnswer(port, "counted", "COUNTED", SOON);
            Path socket = ControlFiles.socket(home);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())));

            Client text = Client.run("status", "--home", home.toString());
            assertEquals(0, text.exit, text.toString());
            assertTrue(text.out.startsWith("Portside host " + host.process().pid() + " on " + home), text.out);
            assertTrue(text.out.lines().anyMatch(l -> l.matches("\\S+ +tcp://127\\.0\\.0\\.1:" + port
                    + " +BOUND +echo \\(io\\.portside\\.sample\\.echo \\S+\\) +virtual +\\d+ +[1-9]\\d* +0 +0")), text.out);

            Client json = Client.run("status", "--home", home.toString(), "--json");
            assertEquals(0, json.exit, json.toString());
            RuntimeListener tcp = RuntimeListener.Snapshot.parse(json.out).listeners().stream()
                    .filter(l -> l.endpoint().equals("tcp://127.0.0.1:" + port)).findFirst().orElseThrow();
            assertTrue(tcp.bound() && tcp.accepted() >= 1 && tcp.bytesIn() > 0, json.out);
            assertTrue(json.out.contains("\"descriptors\":{\"open\":"), json.out);

            Client script = Client.script("status", "--home", home.toString());
            assertEquals(0, script.exit, script.toString());
            assertTrue(script.out.contains(" tcp://127.0.0.1:" + port + " "), script.out);

            Client top = Client.run("top", "--home", home.toString(), "--count", "2");
            assertEquals(0, top.exit, top.toString());
            assertEquals(2, top.out.split("\033\\[H\033\\[2J", -1).length - 1, "two frames: " + top.out);
            assertEquals(2, top.out.lines().filter(l -> l.contains("portside top - ")).count(), top.out);
            assertTrue(top.out.contains("tcp://127.0.0.1:" + port), top.out);

            // A second host on the same home is refused, and the first one keeps its socket.
            try (LauncherProcess second = LauncherProcess.start(home)) {
                assertTrue(second.process().waitFor(30, TimeUnit.SECONDS), "the second host gives up");
                assertEquals(1, second.process().exitValue(), second.tail(0));
                second.awaitOutput("another Portside host (pid " + host.process().pid() + ") runs on " + home, SOON);
            }
            assertEquals(0, Client.run("status", "--home", home.toString()).exit);

            int from = host.lineCount();
            Client stop = Client.run("stop", "--home", home.toString());
            assertEquals(0, stop.exit, stop.toString());
            assertTrue(stop.out.contains("host " + host.process().pid() + " stopped"), stop.out);
            assertFalse(host.process().isAlive(), "stop returns once the host has ended");
            assertEquals(0, host.process().exitValue(), "the host's exit status, as after SIGTERM");
            host.awaitLine(from, l -> l.contains("Listener echo-tcp unbound tcp://127.0.0.1:" + port + ": host stopping"), SOON,
                    "the listeners' normal stop");
            assertFalse(Files.exists(socket), "socket removed");
        }
        assertEquals(3, Client.run("status", "--home", home.toString()).exit);
        assertEquals(3, Client.run("stop", "--home", home.toString()).exit);
    }

    /** As SIGTERM does: the health agent reports drain for its stop.drain while the host still serves, then it stops. */
    @Test
    void stopRunsTheAgentsDrainFirst() throws Exception {
        int port = deployEcho();
        int agentPort = freePort();
        Files.writeString(home.resolve("deploy").resolve("io.portside.agent.cfg"), "endpoint=tcp://127.0.0.1:" + agentPort + "\nstop.drain=3s\n");
        try (LauncherProcess host = LauncherProcess.start(home)) {
            awaitAnswer(port, "hello", "HELLO", SOON);
            await(() -> "up ready\n".equals(probe(agentPort)), SOON, "the agent to say up ready");
            long began = System.nanoTime();
            CompletableFuture<Client> stop = CompletableFuture.supplyAsync(() -> Client.run("stop", "--home", home.toString()));
            await(() -> "up drain #host stopping\n".equals(probe(agentPort)), Duration.ofSeconds(10),
                    () -> "the agent to say drain; output:\n" + host.tail(0));
            assertEquals("STILL SERVING", HostHarness.exchange(port, "still serving"), "serves while draining");
            Client stopped = stop.get(60, TimeUnit.SECONDS);
            assertEquals(0, stopped.exit, stopped.toString());
            assertTrue(Duration.ofNanos(System.nanoTime() - began).toMillis() >= 2500, "waited for the drain");
            assertEquals(0, host.process().exitValue());
        }
    }

    /** The agent's reply, or null when it cannot be reached. */
    private static String probe(int agentPort) {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress("127.0.0.1", agentPort), 2000);
            s.setSoTimeout(5000);
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException refused) {
            return null;
        }
    }

    @Test
    void aListenerWhosePortIsTakenMakesStatusExitOneAndIsRememberedOnceRepaired() throws Exception {
        int port = deployEcho();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int busy = taken.getLocalPort();
            Files.writeString(home.resolve("deploy").resolve("io.portside.listener-busy.cfg"),
                    "endpoint=tcp://127.0.0.1:" + busy + "\nhandler=echo\n");
            try (LauncherProcess host = LauncherProcess.start(home)) {
                awaitAnswer(port, "up", "UP", SOON);
                Client[] last = new Client[1];
                await(() -> (last[0] = Client.run("status", "--home", home.toString())).exit == 1, SOON,
                        () -> "status to exit 1 for the failed listener: " + last[0]);
                assertTrue(last[0].out.lines().anyMatch(l -> l.matches("busy +tcp://127\\.0\\.0\\.1:" + busy + " +FAILED .*")), last[0].out);
                assertTrue(last[0].out.contains("failure (BIND_FAILED): "), last[0].out);
                assertTrue(last[0].out.contains("Recent failures:"), last[0].out);

                Client json = Client.run("status", "--home", home.toString(), "--json");
                assertEquals(1, json.exit);
                assertTrue(RuntimeListener.Snapshot.parse(json.out).named("busy").failed(), json.out);

                taken.close(); // the port is free again: the host's retry binds it
                await(() -> (last[0] = Client.run("status", "--home", home.toString())).exit == 0, SOON,
                        () -> "status to exit 0 once the listener is bound: " + last[0]);
                assertTrue(last[0].out.matches("(?s).*Recent failures:\n  \\S+  busy tcp://127\\.0\\.0\\.1:" + busy + "  BIND_FAILED: .*"),
                        last[0].out);
            }
        }
    }

    @Test
    void withoutAHostStatusAndStopExitThree() throws Exception {
        Client status = Client.run("status", "--home", home.toString());
        assertEquals(3, status.exit, status.toString());
        assertEquals("portside: no Portside host is running on " + home + "\n", status.err);
        assertEquals(3, Client.run("status", "--home", home.toString(), "--json").exit);
        assertEquals(3, Client.run("top", "--home", home.toString(), "--count", "1").exit);
        assertEquals(3, Client.script("stop", "--home", home.toString()).exit);
        assertEquals(2, Client.run("status", "--home", home.toString(), "--count", "1").exit, "usage");
        Client help = Client.run("stop", "--help");
        assertEquals(0, help.exit);
        assertTrue(help.out.contains("portside stop [--home DIR] [--wait S]"), help.out);
    }

    /** One run of the launcher jar's client commands (or of the {@code portside} script) and what it printed. */
    private record Client(int exit, String out, String err) {

        static Client run(String... args) {
            String java = ProcessHandle.current().info().command().orElse("java");
            List<String> command = new ArrayList<>(List.of(java, "-jar", System.getProperty("portside.launcher.jar")));
            command.addAll(List.of(args));
            return exec(command);
        }

        /** Through {@code ./portside}, as users run it (the script finds the JDK and the jar it was built with). */
        static Client script(String... args) {
            List<String> command = new ArrayList<>(List.of(Path.of("..", "portside").toAbsolutePath().normalize().toString()));
            command.addAll(List.of(args));
            return exec(command);
        }

        private static Client exec(List<String> command) {
            try {
                Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
                CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
                CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new AssertionError(command + " did not end within 60 s");
                }
                return new Client(p.exitValue(), out.join(), err.join());
            } catch (IOException e) {
                throw new AssertionError(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }

        private static String read(java.io.InputStream in) {
            try {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return e.toString();
            }
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- out\n" + out + "--- err\n" + err;
        }
    }
}
