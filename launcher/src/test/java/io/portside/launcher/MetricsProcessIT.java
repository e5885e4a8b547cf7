package io.portside.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The executable jar's metrics endpoint as Prometheus scrapes it: TCP echo, a UDP datagram and a policy refusal move the
 * counters, and {@code promtool check metrics} (Debian's {@code prometheus} package) accepts the text where installed.
 */
class MetricsProcessIT {

    private static final Duration SOON = Duration.ofSeconds(30);
    private static final Path PROMTOOL = Path.of("/usr/bin/promtool");

    @TempDir
    Path home;

    @Test
    void countersMoveWithTrafficAndTheTextPassesPromtool() throws Exception {
        int tcp = HostHarness.freePort();
        int udp = freeUdpPort();
        int guarded = HostHarness.freePort();
        int metrics = HostHarness.freePort();
        Path deploy = Files.createDirectories(home.resolve("deploy"));
        Files.copy(HostHarness.sampleBundle("echo"), deploy.resolve("echo.jar"));
        Files.copy(HostHarness.sampleBundle("policy-address"), deploy.resolve("policy-address.jar"));
        Files.writeString(deploy.resolve("io.portside.sample.echo.stream.cfg"), "portside.endpoint=tcp://127.0.0.1:" + tcp + "\n");
        Files.writeString(deploy.resolve("io.portside.sample.echo.datagram.cfg"), "portside.endpoint=udp://127.0.0.1:" + udp + "\n");
        Files.writeString(deploy.resolve("io.portside.policy.address-office.cfg"), "portside.policy=office\nallow=127.0.0.0/30\ndeny=127.0.0.3\n");
        Files.writeString(deploy.resolve("io.portside.listener-guarded.cfg"),
                "endpoint=tcp://127.0.0.1:" + guarded + "\nhandler=echo\npolicy.target=(portside.policy=office)\n");
        Files.writeString(deploy.resolve("io.portside.metrics.cfg"), "endpoint=tcp://127.0.0.1:" + metrics + "\n");

        try (LauncherProcess launcher = LauncherProcess.start(home)) {
            launcher.awaitOutput("Metrics: serving http://127.0.0.1:" + metrics + "/metrics", SOON);
            HostHarness.awaitAnswer(tcp, "hello", "HELLO", SOON);
            String reply = awaitDatagramReply(udp, "ping");
            HostHarness.awaitAnswer(guarded, "hi", "HI", SOON); // the policy is active: 127.0.0.1 is served
            assertTrue(Wire.rejected("127.0.0.1", guarded, "127.0.0.3"), "denied by the policy");

            URI uri = URI.create("http://127.0.0.1:" + metrics + "/metrics");
            String[] text = new String[1];
            HostHarness.await(() -> {
                text[0] = scrape(uri);
                return value(text[0], "portside_listener_refusals_total", "listener=\"guarded\",reason=\"policy\"") >= 1
                        && value(text[0], "portside_listener_sent_bytes_total", "listener=\"echo-udp\"") >= reply.length()
                        && value(text[0], "portside_listener_sent_bytes_total", "listener=\"echo-tcp\"") >= "HELLO\n".length();
            }, SOON, () -> "the counters to move; last scrape:\n" + text[0] + "\noutput:\n" + launcher.tail(0));
            String t = text[0];
            assertTrue(value(t, "portside_listener_connections_accepted_total", "listener=\"echo-tcp\"") >= 1, t);
            assertTrue(value(t, "portside_listener_requests_handled_total", "listener=\"echo-udp\"") >= 1, t);
            assertTrue(value(t, "portside_listener_received_bytes_total", "listener=\"echo-udp\"") >= "ping".length(), t);
            assertTrue(value(t, "portside_listener_request_duration_seconds_count", "listener=\"echo-tcp\"") >= 1, t);
            assertEquals(1, value(t, "portside_listener_up", "listener=\"echo-tcp\""), t);
            assertTrue(t.contains("portside_listener_revision_info{bundle=\"io.portside.sample.echo\""), t);
            assertTrue(value(t, "portside_host_descriptors_limit", "") > 0, t);
            assertTrue(value(t, "portside_deploys_total", "outcome=\"deployed\"") >= 2, t);
            promtoolAccepts(t);
        }
    }

    /** Checks the text with promtool when it is installed; otherwise says the check was skipped. */
    private static void promtoolAccepts(String text) throws Exception {
        if (!Files.isExecutable(PROMTOOL)) {
            System.out.println("MetricsProcessIT: skipped 'promtool check metrics': " + PROMTOOL + " is not installed"
                    + " (Debian package prometheus; .ci/run installs it)");
            return;
        }
        Process p = new ProcessBuilder(PROMTOOL.toString(), "check", "metrics").redirectErrorStream(true).start();
        try (var in = p.getOutputStream()) {
            in.write(text.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "promtool finishes");
        assertEquals(0, p.exitValue(), "promtool check metrics:\n" + out);
    }

    /** The value of the first sample of {@code name} whose labels contain {@code labels}; -1 when there is none. */
    static double value(String text, String name, String labels) {
        Pattern p = Pattern.compile("^" + Pattern.quote(name) + "(\\{[^}]*\\})? (\\S+)$", Pattern.MULTILINE);
        Matcher m = p.matcher(text);
        while (m.find()) {
            if (m.group(1) == null ? labels.isEmpty() : m.group(1).contains(labels)) {
                return Double.parseDouble(m.group(2));
            }
        }
        return -1;
    }

    static String scrape(URI uri) {
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Sends {@code message} until a reply comes (the listener may not be bound yet); returns the reply. */
    private static String awaitDatagramReply(int port, String message) throws IOException {
        long deadline = System.nanoTime() + SOON.toNanos();
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            s.setSoTimeout(500);
            byte[] data = message.getBytes(StandardCharsets.UTF_8);
            while (System.nanoTime() < deadline) {
                s.send(new DatagramPacket(data, data.length, InetAddress.getLoopbackAddress(), port));
                DatagramPacket reply = new DatagramPacket(new byte[2048], 2048);
                try {
                    s.receive(reply);
                    return new String(reply.getData(), 0, reply.getLength(), StandardCharsets.UTF_8);
                } catch (java.net.SocketTimeoutException notYet) {
                    // not bound yet, or the datagram was dropped: send again
                }
            }
        }
        throw new AssertionError("no reply from udp://127.0.0.1:" + port);
    }
}
