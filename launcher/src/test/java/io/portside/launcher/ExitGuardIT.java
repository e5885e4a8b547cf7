package io.portside.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A handler that calls {@code System.exit}, {@code Runtime.halt} or {@code System::exit} on a virtual-thread, a
 * threading and a synchronous listener no longer stops the host: the call throws {@code ServerExit}, the host logs
 * one line for the bundle, and every listener keeps serving. The host is a separate JVM (the executable jar), so that
 * the failure this guards against ends that JVM, not the test's.
 */
class ExitGuardIT {

    private static final String WOVEN = "Bundle io.portside.fixture.exitcaller 1.0.0: rewrote 3 calls to "
            + "System.exit/Runtime.exit/halt into ServerExit";

    @TempDir
    Path home;

    @Test
    void aHandlerCallingSystemExitCannotStopTheHost() throws Exception {
        int virtual = HostHarness.freePort();
        int threading = HostHarness.freePort();
        int sync = HostHarness.freePort();
        int echo = HostHarness.freePort();
        Path deploy = Files.createDirectories(home.resolve("deploy"));
        Files.writeString(deploy.resolve("io.portside.listener-exit-virtual.cfg"),
                "endpoint=tcp://127.0.0.1:" + virtual + "\nhandler=exit-caller\nconcurrency=virtual\n");
        Files.writeString(deploy.resolve("io.portside.listener-exit-threading.cfg"),
                "endpoint=tcp://127.0.0.1:" + threading + "\nhandler=exit-caller\nconcurrency=threading\n");
        Files.writeString(deploy.resolve("io.portside.listener-exit-sync.cfg"),
                "endpoint=tcp://127.0.0.1:" + sync + "\nhandler=exit-caller\nconcurrency=sync\n");
        Files.writeString(deploy.resolve("io.portside.sample.echo.stream.cfg"), "portside.endpoint=tcp://127.0.0.1:" + echo + "\n");
        // Off the sample's fixed UDP port, which another test may hold.
        Files.writeString(deploy.resolve("io.portside.sample.echo.datagram.cfg"), "portside.endpoint=unixgram:sockets/echo-dgram.sock\n");
        Files.copy(HostHarness.sampleBundle("echo"), deploy.resolve("echo.jar"));
        Files.copy(HostHarness.testBundle("exit-caller"), deploy.resolve("exit-caller.jar"));

        String java = ProcessHandle.current().info().command().orElse("java");
        Path jar = Path.of(System.getProperty("portside.launcher.jar"));
        Process host = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Dportside.shutdown.grace=1s",
                "-jar", jar.toString(), "run", "--home", home.toString()).redirectErrorStream(true).start();
        List<String> output = Collections.synchronizedList(new ArrayList<>());
        Thread reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(host.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    output.add(line);
                }
            } catch (Exception ignored) {
                // the process ended
            }
        });
        try {
            exerciseAndStop(host, output, new int[] {virtual, threading, sync}, echo);
            reader.join(5000);
            assertEquals(0, host.exitValue(), () -> "exit status after SIGTERM; output:\n" + String.join("\n", output));
        } catch (AssertionError | IOException e) {
            String state = host.isAlive() ? "running" : "exited with status " + host.exitValue();
            throw new AssertionError(e.getMessage() + "\nhost " + state + "; its output:\n" + String.join("\n", output), e);
        } finally {
            host.destroyForcibly();
        }
    }

    /** Sends each exit request to every exit-caller listener, checks the host after each, then stops it with SIGTERM. */
    private static void exerciseAndStop(Process host, List<String> output, int[] exitCallers, int echo) throws Exception {
        for (int port : exitCallers) {
            HostHarness.awaitAnswer(port, "hello", "ok: hello", Duration.ofSeconds(60));
        }
        HostHarness.awaitAnswer(echo, "hello", "HELLO", Duration.ofSeconds(30));

        for (String exit : List.of("exit", "halt", "ref")) {
            for (int port : exitCallers) {
                assertNull(send(port, exit), "the request that called " + exit + " ends (EOF)");
                assertFalse(host.waitFor(1, TimeUnit.SECONDS), "'" + exit + "' on port " + port + " stopped the host");
                HostHarness.awaitAnswer(echo, "still there", "STILL THERE", Duration.ofSeconds(10));
                HostHarness.awaitAnswer(port, "again", "ok: again", Duration.ofSeconds(10));
            }
        }
        assertEquals(1, output.stream().filter(l -> l.contains(WOVEN)).count(), "one line: " + WOVEN);

        host.toHandle().destroy(); // SIGTERM
        assertTrue(host.waitFor(30, TimeUnit.SECONDS), "host stops within 30 s of SIGTERM");
    }

    /** Sends one line and reads the answer; null for EOF. */
    private static String send(int port, String line) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            s.setSoTimeout(10_000);
            return HostHarness.exchange(s, line);
        }
    }
}
