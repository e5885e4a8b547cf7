package io.portside.launcher;

import static io.portside.launcher.HostHarness.freePort;
import static io.portside.launcher.HostHarness.sampleBundle;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real launcher with {@code -Dportside.log.format=json}: a served connection, rejected connections and the
 * limiter's summary of them, and a stop, on a home with a hostile name; every line it prints on stdout and stderr is one
 * JSON object with the fixed keys.
 */
class JsonLogsIT {

    private static final Duration SOON = Duration.ofSeconds(30);
    private static final Pattern TIME = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    private static final Set<String> LEVELS = Set.of("ERROR", "WARN", "INFO", "DEBUG");

    @TempDir
    Path tmp;

    @Test
    @SuppressWarnings("unchecked")
    void everyLineIsOneJsonObjectWithTheFixedKeys() throws Exception {
        // A home whose name holds a quote, a backslash, a control character, a tab and a newline: it is in several lines.
        Path home = tmp.resolve("ho\"me\\ \u0001\t\nx");
        int echo = freePort();
        int guarded = freePort();
        Path deploy = Files.createDirectories(home.resolve("deploy")); // exists: nothing is seeded on default ports
        Files.writeString(deploy.resolve("io.portside.sample.echo.stream.cfg"), "portside.endpoint=tcp://127.0.0.1:" + echo + "\n");
        Files.writeString(deploy.resolve("io.portside.policy.address-noloop.cfg"), "portside.policy=noloop\nallow=192.0.2.1\n");
        Files.writeString(deploy.resolve("io.portside.listener-guarded.cfg"),
                "endpoint=tcp://127.0.0.1:" + guarded + "\nhandler=echo\npolicy.required=noloop\n");
        Files.copy(sampleBundle("echo"), deploy.resolve("echo.jar"));
        Files.copy(sampleBundle("policy-address"), deploy.resolve("policy-address.jar"));

        List<String> lines;
        List<String> options = new ArrayList<>(List.of("-Dportside.log.format=json", "-Dportside.log.window=2s"));
        if (Runtime.version().feature() >= 23) {
            // As ./portside runs it: otherwise the JVM itself warns on stderr that Felix uses sun.misc.Unsafe, a line no
            // logger writes and no format can shape.
            options.add("--sun-misc-unsafe-memory-access=allow");
        }
        try (LauncherProcess host = LauncherProcess.start(home, options.toArray(String[]::new))) {
            host.awaitLine(0, l -> l.contains("\"event\":\"listener.bound\"") && l.contains("\"listener\":\"guarded\""), SOON, "guarded bound");
            HostHarness.awaitAnswer(echo, "from a client", "FROM A CLIENT", SOON);
            for (int i = 0; i < 15; i++) { // past the burst of 10: the rest are summarized, in JSON too
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", guarded), 2000);
                }
            }
            host.awaitLine(0, l -> l.contains("\"event\":\"connection.rejected\""), SOON, "a rejection");
            host.awaitLine(0, l -> l.contains("\"event\":\"log.suppressed\""), SOON, "the summary of the rejections held back");
            assertEquals(0, host.stop(), "exit status");
            Thread.sleep(500); // the last lines through the pipe
            lines = host.output();
        }

        List<Map<String, Object>> records = new ArrayList<>();
        for (String line : lines) {
            Object parsed;
            try {
                parsed = JsonReader.parse(line);
            } catch (RuntimeException e) {
                throw new AssertionError("not JSON: " + line + "\n(" + e.getMessage() + ")\nall output:\n" + String.join("\n", lines), e);
            }
            assertTrue(parsed instanceof Map, line);
            Map<String, Object> o = (Map<String, Object>) parsed;
            for (String key : List.of("time", "level", "logger", "event", "message")) {
                assertTrue(o.get(key) instanceof String, "no " + key + ": " + line);
            }
            assertTrue(TIME.matcher((String) o.get("time")).matches(), line);
            assertTrue(LEVELS.contains(o.get("level")), line);
            records.add(o);
        }
        JsonLineFormatterTest.assertPythonReadsEveryLine(lines.stream().map(l -> l + "\n").toList());

        Map<String, Object> rejected = first(records, "connection.rejected");
        assertEquals("guarded", rejected.get("listener"));
        assertTrue(((String) rejected.get("client")).startsWith("/127.0.0.1:"), rejected.toString());
        assertTrue(((String) rejected.get("reason")).contains("noloop"), rejected.toString());
        assertEquals("io.portside.host", rejected.get("logger"));

        Map<String, Object> bound = first(records, "listener.bound");
        assertTrue(((String) bound.get("revision")).startsWith("echo ("), bound.toString());

        Map<String, Object> summary = first(records, "log.suppressed");
        assertEquals("guarded", summary.get("listener"));
        assertEquals(5L, summary.get("count"), summary.toString());
        assertEquals("Listener {0}: rejected {1}: {2}", summary.get("template"));

        first(records, "deploy.installed");
        first(records, "policy.active");
        assertEquals("Portside host started: home " + home + ", deploy folder " + deploy, first(records, "host.started").get("message"));
        first(records, "host.stopping");
        Map<String, Object> unbound = first(records, "listener.unbound");
        assertEquals("host-stopping", unbound.get("reason"));
    }

    private static Map<String, Object> first(List<Map<String, Object>> records, String event) {
        return records.stream().filter(o -> event.equals(o.get("event"))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + event + " line in " + records));
    }

    static void silentClient(int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            s.setSoTimeout(30_000);
            s.getInputStream().readAllBytes(); // the handler gives up after its 10 s read timeout; the host closes
        }
    }
}
