package io.portside.launcher;

import static io.portside.launcher.HostHarness.awaitAnswer;
import static io.portside.launcher.HostHarness.exchange;
import static io.portside.launcher.HostHarness.freePort;
import static io.portside.launcher.HostHarness.sampleBundle;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The echo sample's event-driven protocol ({@code echo-protocol}) in a real host: bound by a listener configuration on
 * TCP and Unix, swapped with its jar while connections stay open, policed (an address policy, max.connections),
 * timed (idle.timeout), behind a PROXY header with the client's bytes in the same segment, and refused on a TLS
 * listener with a reason.
 */
class ProtocolHostIT {

    private static final Duration SOON = Duration.ofSeconds(15);

    @TempDir
    Path home;
    HostHarness host;

    @BeforeEach
    void boot() throws Exception {
        host = HostHarness.start(home, Map.of());
        // the blocking echo's own endpoints move out of the way of anything else on this machine
        host.writeNewConfig("io.portside.sample.echo.stream.cfg", "portside.endpoint=tcp://127.0.0.1:" + freePort() + "\n");
        host.writeNewConfig("io.portside.sample.echo.datagram.cfg", "portside.endpoint=udp://127.0.0.1:" + freePort() + "\n");
        host.deploy(sampleBundle("echo"), "echo.jar");
    }

    @AfterEach
    void stop() {
        host.close();
    }

    private int protocolListener(String name, String extra) throws Exception {
        int port = freePort();
        host.writeConfig("io.portside.listener-" + name + ".cfg", "endpoint=tcp://127.0.0.1:" + port + "\nhandler=echo-protocol\n" + extra);
        host.awaitBound(name, "tcp://127.0.0.1:" + port, SOON);
        return port;
    }

    @Test
    void servesTcpAndUnixAndCountsWhatItMoved() throws Exception {
        int port = protocolListener("proto", "");
        Path sock = home.resolve("p.sock");
        host.writeConfig("io.portside.listener-proto-unix.cfg", "endpoint=unix:" + sock + "\nhandler=echo-protocol\n");
        host.awaitBound("proto-unix", "unix:" + sock, SOON);

        awaitAnswer(port, "hello", "HELLO", SOON);
        assertEquals("OVER UNIX", Wire.unixExchange(sock, "over unix"));
        try (Socket s = Wire.connect("127.0.0.1", port, null)) {
            for (int i = 0; i < 100; i++) {
                assertEquals("LINE " + i, exchange(s, "line " + i));
            }
        }
        RuntimeListener l = host.awaitListener("proto", x -> x.openConnections() == 0 && x.bytesIn() > 0, SOON);
        assertEquals("echo-protocol", l.handler().name());
        assertEquals("protocol", l.concurrency(), "a protocol runs on the listener's loops, whatever its concurrency says");
        assertTrue(l.accepted() >= 2 && l.bytesIn() == l.bytesOut() && l.errors() == 0, l.toString());
    }

    @Test
    void aSwapOfTheJarKeepsOpenConnectionsOnTheOldRevisionAndServesNewOnesOnTheNew() throws Exception {
        int port = protocolListener("proto", "drain.timeout=30s\n");
        List<Socket> old = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                Socket s = Wire.connect("127.0.0.1", port, null);
                old.add(s);
                assertEquals("BEFORE " + i, exchange(s, "before " + i));
            }
            long before = host.listener("proto").handler().serviceId();
            long began = System.nanoTime();
            host.deploy(sampleBundle("echo"), "echo.jar"); // a fresh copy: an update of the running bundle
            host.awaitLogEntry("Listener proto on .*: (handler echo-protocol \\(.*\\) active again|swapped handler echo-protocol .*)", SOON, began);
            host.awaitListener("proto", l -> l.handler() != null && l.handler().serviceId() != before, SOON);
            awaitAnswer(port, "after", "AFTER", SOON);
            for (int i = 0; i < old.size(); i++) { // the old revision's connections were not cut by the swap
                assertEquals("STILL " + i, exchange(old.get(i), "still " + i));
            }
        } finally {
            for (Socket s : old) {
                s.close();
            }
        }
        host.awaitListener("proto", l -> l.draining().isEmpty() && l.openConnections() == 0, SOON);
    }

    @Test
    void pastTheDrainDeadlineTheOldRevisionsConnectionsAreClosed() throws Exception {
        int port = protocolListener("proto", "drain.timeout=1s\n");
        try (Socket old = Wire.connect("127.0.0.1", port, null)) {
            assertEquals("OLD", exchange(old, "old"));
            long began = System.nanoTime();
            host.deploy(sampleBundle("echo"), "echo.jar");
            host.awaitLogEntry("Listener proto on .*: (handler echo-protocol \\(.*\\) active again|swapped handler echo-protocol .*)", SOON, began);
            old.setSoTimeout(10_000);
            assertTrue(Wire.endsWithoutData(old.getInputStream()), "closed by the host at the drain deadline");
            awaitAnswer(port, "new", "NEW", SOON);
        }
        host.awaitListener("proto", l -> l.draining().isEmpty() && l.openConnections() == 0, SOON);
    }

    @Test
    void policiesTheConnectionLimitAndTheIdleTimeoutApply() throws Exception {
        host.deploy(sampleBundle("policy-address"), "policy-address.jar");
        host.writeConfig("io.portside.policy.address-edge.cfg", "portside.policy=edge\nallow=127.0.0.1\n");
        int port = protocolListener("proto", "policy.target=(portside.policy=edge)\npolicy.required=edge\nmax.connections=2\nidle.timeout=600ms\n");
        awaitAnswer(port, "allowed", "ALLOWED", SOON);
        assertTrue(Wire.rejected("127.0.0.1", port, "127.0.0.2"), "the policy closed a client it does not allow");
        host.awaitListener("proto", l -> l.openConnections() == 0, SOON); // both closed: their slots are free again

        try (Socket a = Wire.connect("127.0.0.1", port, null); Socket b = Wire.connect("127.0.0.1", port, null)) {
            assertEquals("A", exchange(a, "a"));
            assertEquals("B", exchange(b, "b"));
            assertTrue(Wire.rejected(port), "a third connection is over max.connections=2");
            long idleSince = System.nanoTime();
            InputStream in = a.getInputStream();
            assertEquals(-1, in.read(), "closed at its idle.timeout");
            long waited = (System.nanoTime() - idleSince) / 1_000_000;
            assertTrue(waited >= 500 && waited < 5000, "closed after " + waited + " ms");
        }
        host.awaitLog("Listener proto: closed the connection from /127\\.0\\.0\\.1:\\d+ at its idle\\.timeout of 600 ms", SOON);
        host.awaitListener("proto", l -> l.timedOut() >= 1 && l.rejected() >= 2, SOON);
    }

    @Test
    void behindAProxyTheHeadersClientIsJudgedAndTheBytesAfterItAreIntact() throws Exception {
        host.deploy(sampleBundle("policy-address"), "policy-address.jar");
        host.writeConfig("io.portside.policy.address-edge.cfg", "portside.policy=edge\nallow=127.0.0.7\n");
        int port = protocolListener("proto", "proxy.protocol=v1\nproxy.trusted=127.0.0.1\nproxy.timeout=2s\n"
                + "policy.target=(portside.policy=edge)\npolicy.required=edge\n");
        String header = "PROXY TCP4 127.0.0.7 127.0.0.1 4242 9995\r\n";
        Wire.await(() -> "HELLO\nWORLD\n".equals(proxied(port, header)), SOON, "served behind the proxy");
        assertEquals("", proxied(port, "PROXY TCP4 127.0.0.66 127.0.0.1 4343 9995\r\n"), "the policy judged the header's client");
    }

    /** Sends a PROXY header and two lines in one write; everything that comes back until the server closes. */
    private static String proxied(int port, String header) throws java.io.IOException {
        try (Socket s = Wire.connect("127.0.0.1", port, null)) {
            s.getOutputStream().write((header + "hello\nworld\n").getBytes(StandardCharsets.US_ASCII));
            byte[] back = new byte[12];
            int n = 0;
            for (int r; n < back.length && (r = readQuietly(s.getInputStream(), back, n)) > 0; ) {
                n += r;
            }
            return new String(back, 0, n, StandardCharsets.US_ASCII);
        }
    }

    private static int readQuietly(InputStream in, byte[] b, int off) {
        try {
            return in.read(b, off, b.length - off);
        } catch (java.io.IOException reset) {
            return -1;
        }
    }

    @Test
    void aTlsListenerRefusesTheProtocolWithItsReason() throws Exception {
        TestCertificates.assumeOpenssl();
        TestCertificates certs = TestCertificates.ca(home.resolve("certs"), "test-ca");
        TestCertificates.Pair pair = certs.server("server", TestCertificates.KeyForm.PKCS8_EC, 30, "localhost", "127.0.0.1");
        int port = protocolListener("proto-tls", "tls.certificate=" + pair.certificate() + "\ntls.key=" + pair.key() + "\n");
        assertTrue(Wire.rejected(port), "closed without a byte");
        host.awaitLog("Listener proto-tls: closed the connection from /127\\.0\\.0\\.1:\\d+ to protocol echo-protocol .*: protocols are served "
                + "on plain TCP and Unix stream listeners, not with TLS", SOON);
        host.awaitListener("proto-tls", l -> l.rejected() >= 1 && l.openConnections() == 0, SOON);
    }
}
