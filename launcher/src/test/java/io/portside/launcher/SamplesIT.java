package io.portside.launcher;

import static io.portside.launcher.HostHarness.awaitAnswer;
import static io.portside.launcher.HostHarness.freePort;
import static io.portside.launcher.HostHarness.sampleBundle;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stream samples in a real host, on every stream transport they serve, talked to by the seeds' own Python
 * clients. Every sample is moved to free ports with its component configuration, as users are told to.
 */
class SamplesIT {

    private static final Duration SOON = Duration.ofSeconds(10);

    @TempDir
    Path home;
    @TempDir
    Path client;
    HostHarness host;

    @BeforeEach
    void boot() throws Exception {
        host = HostHarness.start(home, Map.of());
    }

    @AfterEach
    void stop() {
        host.close();
    }

    /** Deploys echo on a free TCP port and a test Unix socket (its datagram side moved off the defaults too). */
    private int deployEcho() throws Exception {
        int port = freePort();
        host.writeNewConfig("io.portside.sample.echo.stream.cfg", "portside.endpoint=tcp://127.0.0.1:" + port + ",unix:sockets/echo-it.sock\n");
        host.writeNewConfig("io.portside.sample.echo.datagram.cfg", "portside.endpoint=udp://127.0.0.1:" + freePort() + ",unixgram:sockets/echo-it-dgram.sock\n");
        host.deploy(sampleBundle("echo"), "echo.jar");
        awaitAnswer(port, "ready", "READY", SOON);
        return port;
    }

    @Test
    void echoAnswersTheSeedsTcpClients() throws Exception {
        int port = deployEcho();

        SeedClients.Run run = SeedClients.run("tcp_client.py", SeedClients.at(port), client, "", "hello", "world");
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.stdout().contains("Sent:     hello world\n"), run.toString());
        assertTrue(run.stdout().contains("Received: HELLO WORLD\n"), run.toString());

        SeedClients.Run interactive = SeedClients.run("interactive_client.py", SeedClients.at(port), client,
                "hello\n\nsecond line\nMiXeD 123\n");
        // The seed loops on input() until it raises EOFError at the end of stdin.
        assertTrue(interactive.stderr().contains("EOFError"), interactive.toString());
        assertEquals(List.of("HELLO", "SECOND LINE", "MIXED 123"), replies(interactive.stdout()), interactive.toString());
    }

    /** The interactive client prints a prompt, then each reply; a line is "&gt;&gt;:" prompts followed by the reply. */
    private static List<String> replies(String stdout) {
        return Stream.of(stdout.split("\n")).map(l -> l.replace(">>:", "")).filter(l -> !l.isEmpty()).toList();
    }

    @Test
    void echoAnswersOnItsUnixSocket() throws Exception {
        deployEcho();
        Path sock = home.resolve("sockets/echo-it.sock");
        HostHarness.await(() -> Files.exists(sock), SOON, sock + " to exist");
        assertEquals("OVER A UNIX SOCKET", Wire.unixExchange(sock, "over a unix socket"));
    }

    @Test
    void threadReporterNamesTheThreadOfEachConcurrencyModel() throws Exception {
        int own = freePort();
        host.writeNewConfig("io.portside.sample.threadreporter.cfg", "portside.endpoint=tcp://127.0.0.1:" + own + "\n");
        Map<String, Integer> ports = Map.of("sync", freePort(), "threading", freePort(), "pool", freePort(), "virtual", freePort());
        for (Map.Entry<String, Integer> e : ports.entrySet()) {
            host.writeConfig("io.portside.listener-tr-" + e.getKey() + ".cfg", "endpoint=tcp://127.0.0.1:" + e.getValue()
                    + "\nhandler=thread-reporter\nconcurrency=" + e.getKey() + "\npool.size=2\n");
        }
        host.deploy(sampleBundle("thread-reporter"), "thread-reporter.jar");
        for (String model : ports.keySet()) {
            host.awaitListener("tr-" + model, l -> l.bound() && l.endpoint().equals("tcp://127.0.0.1:" + ports.get(model))
                    && l.handler().name().equals("thread-reporter") && l.concurrency().startsWith(model), SOON);
        }
        host.awaitListener("thread-reporter-tcp", l -> l.bound() && l.endpoint().equals("tcp://127.0.0.1:" + own)
                && l.concurrency().startsWith("threading"), SOON);

        // Request threads are named after their listener: portside-<listener>-<model>-<n>.
        assertThreads(own, "portside-thread-reporter-tcp-threading-\\d+", true);
        assertThreads(ports.get("threading"), "portside-tr-threading-threading-\\d+", true);
        assertThreads(ports.get("sync"), "portside-listener-tr-sync", false);
        assertThreads(ports.get("pool"), "portside-tr-pool-pool-[12]", false);
        assertThreads(ports.get("virtual"), "portside-tr-virtual-virtual-\\d+", true);
    }

    /** Runs seed 002's client (three requests) and checks each answer names a thread matching {@code threadName}. */
    private void assertThreads(int port, String threadName, boolean newThreadEachTime) throws Exception {
        SeedClients.Run run = SeedClients.run("thread_client.py", SeedClients.at(port), client, "", "3");
        assertEquals(0, run.exitCode(), run.toString());
        Matcher m = Pattern.compile("Received: (" + threadName + "): Hello World (\\d)").matcher(run.stdout());
        Set<String> threads = new HashSet<>();
        int answers = 0;
        while (m.find()) {
            answers++;
            assertEquals(String.valueOf(answers), m.group(2), run.stdout());
            threads.add(m.group(1));
        }
        assertEquals(3, answers, "three answers from " + threadName + " threads:\n" + run);
        if (newThreadEachTime) {
            assertEquals(3, threads.size(), "a new thread per request: " + threads);
        }
    }

    @Test
    void aReplacedSampleJarKeepsItsListenerAndServesOn() throws Exception {
        int port = deployEcho();
        host.deploy(sampleBundle("echo"), "echo.jar"); // the same jar again: an update of the running bundle
        host.awaitLog("Updated echo\\.jar: io\\.portside\\.sample\\.echo", SOON);
        awaitAnswer(port, "still here", "STILL HERE", SOON);
        assertFalse(host.logLines().stream().anyMatch(l -> l.contains("Listener echo-tcp unbound")), "the socket stayed open");
    }

    @Test
    void everySampleAndPolicyBundleImportsOnlyTheHandlerApiAndExportsNothing() throws Exception {
        List<String> expected = List.of("echo", "thread-reporter", "file-transfer", "policy-address", "policy-connection-limit",
                "policy-rate-limit", "policy-client-certificate", "kv");
        for (String name : expected) {
            Path jar = sampleBundle(name);
            assertTrue(Files.exists(jar), "embedded in the launcher: " + jar);
            try (JarFile j = new JarFile(jar.toFile())) {
                Manifest mf = j.getManifest();
                // the JDK's own javax packages aside (the client-certificate policy reads X.500 names)
                String imports = mf.getMainAttributes().getValue("Import-Package").replaceAll(",javax\\.[a-z0-9.]+", "");
                assertTrue(imports.matches("io\\.portside\\.handler\\.api;version=\"\\[1\\.\\d+,2\\)\""), name + " imports " + imports);
                assertEquals(null, mf.getMainAttributes().getValue("Export-Package"), name + " exports nothing");
                assertTrue(mf.getMainAttributes().getValue("Bundle-SymbolicName").matches("io\\.portside\\.(sample|policy)\\.[a-z]+"));
            }
        }
    }
}
