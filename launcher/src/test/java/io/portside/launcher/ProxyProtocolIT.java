package io.portside.launcher;

import static io.portside.launcher.HostHarness.freePort;
import static io.portside.launcher.HostHarness.sampleBundle;
import static io.portside.launcher.HostHarness.testBundle;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PROXY protocol on a real host, with headers written by hand as HAProxy and nginx send them: the header's client
 * is the client for the policies and the handler, a LOCAL header (a health check) is served as the proxy, and a peer
 * outside {@code proxy.trusted}, a malformed header or a silent proxy is closed while other clients are served.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProxyProtocolIT {

    private static final Duration SOON = Duration.ofSeconds(15);
    private static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    @TempDir
    Path home;
    HostHarness host;
    int port;
    int plain;

    @BeforeEach
    void boot() throws Exception {
        host = HostHarness.start(home, Map.of());
        host.writeNewConfig("io.portside.sample.echo.stream.cfg", "portside.endpoint=tcp://127.0.0.1:" + freePort() + "\n");
        host.writeNewConfig("io.portside.sample.echo.datagram.cfg", "portside.endpoint=udp://127.0.0.1:" + freePort() + "\n");
        host.deploy(sampleBundle("policy-address"), "policy-address.jar");
        host.writeConfig("io.portside.policy.address-edge.cfg", "portside.policy=edge\nallow=127.0.0.0/8\ndeny=127.0.0.66\n");
        host.deploy(testBundle("forking-probe"), "probe.jar");
        port = freePort();
        plain = freePort();
        host.writeConfig("io.portside.listener-behind.cfg", "endpoint=tcp://127.0.0.1:" + port + "\nhandler=probe\nconcurrency=virtual\n"
                + "proxy.protocol=any\nproxy.trusted=127.0.0.1\nproxy.timeout=1s\nfirst.byte.timeout=2s\npolicy.required=edge\n");
        host.writeConfig("io.portside.listener-plain.cfg", "endpoint=tcp://127.0.0.1:" + plain + "\nhandler=probe\nconcurrency=virtual\n");
        host.awaitBound("behind", "tcp://127.0.0.1:" + port, SOON);
        host.awaitBound("plain", "tcp://127.0.0.1:" + plain, SOON);
    }

    @AfterEach
    void stop() {
        if (host != null) {
            host.close();
        }
    }

    private static byte[] v1(String client, int clientPort) {
        return ("PROXY TCP4 " + client + " 127.0.0.1 " + clientPort + " 9999\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** A v2 PROXY (or LOCAL) header for TCP over IPv4 with no TLVs, as HAProxy's send-proxy-v2 writes it. */
    private static byte[] v2(boolean local, byte[] client, int clientPort) {
        ByteBuffer b = ByteBuffer.allocate(16 + 12);
        b.put(V2_SIGNATURE).put((byte) (local ? 0x20 : 0x21)).put((byte) 0x11).putShort((short) 12);
        b.put(client).put(new byte[] {127, 0, 0, 1}).putShort((short) clientPort).putShort((short) 9999);
        return b.array();
    }

    /** Sends {@code header} and the lines in one write (as a proxy may), then reads one answer per line; null at EOF. */
    private String[] exchange(String localAddress, byte[] header, String... lines) throws IOException {
        try (Socket s = Wire.connect("127.0.0.1", port, localAddress)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            StringBuilder text = new StringBuilder();
            for (String l : lines) {
                text.append(l).append('\n');
            }
            byte[] payload = text.toString().getBytes(StandardCharsets.US_ASCII);
            out.write(ByteBuffer.allocate(header.length + payload.length).put(header).put(payload).array());
            String[] answers = new String[lines.length];
            InputStream in = s.getInputStream();
            for (int i = 0; i < lines.length; i++) {
                answers[i] = HostHarness.readLine(in);
            }
            return answers;
        }
    }

    @Test
    void theHeadersClientIsTheClientForPoliciesAndTheHandler() throws Exception {
        HostHarness.await(() -> {
            try {
                return "/127.0.0.7:4242".equals(exchange("127.0.0.1", v1("127.0.0.7", 4242), "client")[0]);
            } catch (IOException e) {
                return false;
            }
        }, SOON, "served, with the header's client as client_address (once the policy is registered)");
        String[] v2 = exchange("127.0.0.1", v2(false, new byte[] {127, 0, 0, 9}, 5151), "client", "proxy", "and the rest");
        assertEquals("/127.0.0.9:5151", v2[0]);
        assertEquals("2 /127.0.0.9:5151", v2[1], "the header, as the handler sees it");
        assertEquals("AND THE REST", v2[2], "the bytes after the header reach the handler intact");

        assertEquals(null, exchange("127.0.0.1", v1("127.0.0.66", 4343), "client")[0], "the policy judged the header's client");
        host.awaitLog("Listener behind: rejected /127\\.0\\.0\\.66:4343: edge: 127\\.0\\.0\\.66 is in denied range", SOON);

        String[] local = exchange("127.0.0.1", v2(true, new byte[] {127, 0, 0, 66}, 1), "client", "proxy");
        assertTrue(local[0].startsWith("/127.0.0.1:"), "a LOCAL header (a health check) is served as the proxy: " + local[0]);
        assertEquals("2 - local", local[1]);
    }

    @Test
    void untrustedPeersBadHeadersAndSilentProxiesAreClosedAndOthersServed() throws Exception {
        HostHarness.await(() -> {
            try {
                return "HELLO".equals(exchange("127.0.0.1", v1("127.0.0.7", 4242), "hello")[0]);
            } catch (IOException e) {
                return false;
            }
        }, SOON, "served once the policy is registered");
        assertEquals(null, exchange("127.0.0.2", v1("127.0.0.7", 4242), "hello")[0], "a peer outside proxy.trusted");
        host.awaitLog("Listener behind: rejected /127\\.0\\.0\\.2:\\d+: not a trusted proxy \\(proxy\\.trusted\\)", SOON);

        assertEquals(null, exchange("127.0.0.1", "hello, no header\r\n".getBytes(StandardCharsets.US_ASCII), "x")[0], "no header");
        host.awaitLog("Listener behind: closed the connection from /127\\.0\\.0\\.1:\\d+: bad PROXY protocol header: ", SOON);
        assertEquals(null, exchange("127.0.0.1", "PROXY TCP4 127.0.0.07 127.0.0.1 1 2\r\n".getBytes(StandardCharsets.US_ASCII), "x")[0],
                "a leading zero");

        long start = System.nanoTime();
        try (Socket silent = Wire.connect("127.0.0.1", port, "127.0.0.1")) {
            silent.setSoTimeout(10_000);
            silent.getOutputStream().write("PROXY TCP4 ".getBytes(StandardCharsets.US_ASCII));
            assertEquals(-1, silent.getInputStream().read(), "closed at proxy.timeout");
        }
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        System.out.println("A proxy that stopped mid-header was closed after " + tookMs + " ms (proxy.timeout=1s)");
        assertTrue(tookMs >= 900 && tookMs < 5_000, "closed at proxy.timeout, not before: " + tookMs + " ms");
        host.awaitLog("bad PROXY protocol header: not complete within 1(\\.0)? s \\(proxy\\.timeout\\)", SOON);

        start = System.nanoTime();
        try (Socket quiet = Wire.connect("127.0.0.1", port, "127.0.0.1")) { // a header at once, then a client that says nothing
            quiet.setSoTimeout(10_000);
            quiet.getOutputStream().write(v1("127.0.0.7", 4444));
            assertEquals(-1, quiet.getInputStream().read(), "closed at first.byte.timeout");
        }
        tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        System.out.println("A client that sent nothing after its proxy's header was closed after " + tookMs + " ms (first.byte.timeout=2s)");
        assertTrue(tookMs >= 1_900 && tookMs < 8_000, "first.byte.timeout counts from the header, for the client behind it: " + tookMs);
        host.awaitLog("Listener behind: closed the connection from /127\\.0\\.0\\.7:4444 at its first\\.byte\\.timeout", SOON);

        assertEquals("STILL HERE", HostHarness.exchange(plain, "still here"), "another listener is not affected");
        assertEquals("/127.0.0.8:1", exchange("127.0.0.1", v1("127.0.0.8", 1), "client")[0], "nor are later proxied clients");
    }

    @Test
    void aForkingListenerReadsTheHeaderBeforeTheHandOverAndItsWorkerSeesIt() throws Exception {
        int forked = freePort();
        host.writeConfig("io.portside.listener-forked.cfg", "endpoint=tcp://127.0.0.1:" + forked + "\nhandler=probe\nconcurrency=forking\n"
                + "forking.min.idle=1\nproxy.protocol=v2\nproxy.trusted=127.0.0.1\n");
        host.awaitBound("forked", "tcp://127.0.0.1:" + forked, SOON);
        String[] answers = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) { // the first worker JVM takes a few seconds to start
            try (Socket s = Wire.connect("127.0.0.1", forked, "127.0.0.1")) {
                s.setSoTimeout(30_000);
                byte[] header = v2(false, new byte[] {127, 0, 0, 9}, 5151);
                byte[] payload = "pid\nclient\nproxy\n".getBytes(StandardCharsets.US_ASCII);
                s.getOutputStream().write(ByteBuffer.allocate(header.length + payload.length).put(header).put(payload).array());
                InputStream in = s.getInputStream();
                answers = new String[] {HostHarness.readLine(in), HostHarness.readLine(in), HostHarness.readLine(in)};
            }
            if (answers[0] != null) {
                break;
            }
            Thread.sleep(200);
        }
        assertTrue(answers != null && answers[0] != null, "served by a worker");
        assertTrue(Long.parseLong(answers[0]) != ProcessHandle.current().pid(), "in a worker process");
        assertEquals("/127.0.0.9:5151", answers[1], "the worker's handler sees the header's client");
        assertEquals("2 /127.0.0.9:5151", answers[2], "and the header itself");
    }
}
