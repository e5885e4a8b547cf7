package io.portside.launcher;

import static io.portside.launcher.HostHarness.freePort;
import static io.portside.launcher.HostHarness.sampleBundle;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * echo and the policies on datagram listeners.
 */
class DatagramSamplesIT {

    private static final Duration SOON = Duration.ofSeconds(10);

    @TempDir
    Path home;
    @TempDir
    Path client;
    HostHarness host;
    int udpPort;

    @BeforeEach
    void boot() throws Exception {
        host = HostHarness.start(home, Map.of());
        udpPort = freeUdpPort();
        host.writeNewConfig("io.portside.sample.echo.stream.cfg", "portside.endpoint=tcp://127.0.0.1:" + freePort() + "\n");
        host.writeNewConfig("io.portside.sample.echo.datagram.cfg",
                "portside.endpoint=udp://127.0.0.1:" + udpPort + ",unixgram:sockets/echo-it-dgram.sock\n");
        host.deploy(sampleBundle("echo"), "echo.jar");
        host.awaitBound("echo-udp", "udp://127.0.0.1:" + udpPort, SOON);
    }

    @AfterEach
    void stop() {
        host.close();
    }

    private static int freeUdpPort() throws Exception {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Sends one datagram from {@code from} and returns the answer, or null if none came within a second. */
    private String datagram(int port, String from, String message) throws Exception {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(from), 0))) {
            s.setSoTimeout(1000);
            byte[] data = message.getBytes(StandardCharsets.UTF_8);
            s.send(new DatagramPacket(data, data.length, InetAddress.getLoopbackAddress(), port));
            DatagramPacket reply = new DatagramPacket(new byte[2048], 2048);
            try {
                s.receive(reply);
            } catch (SocketTimeoutException dropped) {
                return null;
            }
            return new String(reply.getData(), 0, reply.getLength(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void echoAnswersTheUdpClient() throws Exception {
        SeedClients.Run run = SeedClients.run("udp_client.py", SeedClients.at(udpPort), client, "", "hello", "world");
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.stdout().contains("Received: HELLO WORLD\n"), run.toString());
    }

    @Test
    void echoAnswersOnItsUnixDatagramSocket() throws Exception {
        Path sock = home.resolve("sockets/echo-it-dgram.sock");
        HostHarness.await(() -> java.nio.file.Files.exists(sock), SOON, sock + " to exist");
        try (var ch = org.newsclub.net.unix.AFUNIXDatagramChannel.open()) {
            ch.bind(org.newsclub.net.unix.AFUNIXSocketAddress.of(client.resolve("client.sock")));
            ch.send(java.nio.ByteBuffer.wrap(" unixgram \n".getBytes(StandardCharsets.US_ASCII)), org.newsclub.net.unix.AFUNIXSocketAddress.of(sock));
            java.nio.ByteBuffer reply = java.nio.ByteBuffer.allocate(64);
            ch.receive(reply);
            assertEquals("UNIXGRAM", new String(reply.array(), 0, reply.position(), StandardCharsets.US_ASCII));
        }
    }

    @Test
    void addressPolicyDropsDatagramsFromOtherAddresses() throws Exception {
        int port = freeUdpPort();
        host.deploy(sampleBundle("policy-address"), "policy-address.jar");
        host.writeConfig("io.portside.policy.address-office.cfg", "portside.policy=office\nallow=127.0.0.1\n");
        host.writeConfig("io.portside.listener-udp-guarded.cfg", "endpoint=udp://127.0.0.1:" + port + "\nhandler=echo\npolicy.target=(portside.policy=office)\n");
        Wire.await(() -> {
            try {
                return "PING".equals(datagram(port, "127.0.0.1", "ping"));
            } catch (Exception e) {
                return false;
            }
        }, SOON, "127.0.0.1 to be answered");
        assertEquals(null, datagram(port, "127.0.0.2", "ping"), "dropped");
    }

    @Test
    void rateLimitCountsEachDatagram() throws Exception {
        int port = freeUdpPort();
        host.deploy(sampleBundle("policy-rate-limit"), "policy-rate-limit.jar");
        host.writeConfig("io.portside.policy.ratelimit-dg.cfg", "portside.policy=dg\nrate=0.2\nburst=2\n");
        host.awaitLog("Policy dg .* active", SOON);
        host.writeConfig("io.portside.listener-udp-limited.cfg", "endpoint=udp://127.0.0.1:" + port + "\nhandler=echo\npolicy.target=(portside.policy=dg)\n");
        host.awaitListener("udp-limited", l -> l.bound() && l.endpoint().equals("udp://127.0.0.1:" + port)
                && l.policies().equals(java.util.List.of("dg")), SOON);
        assertEquals("ONE", datagram(port, "127.0.0.1", "one"));
        assertEquals("TWO", datagram(port, "127.0.0.1", "two"));
        assertEquals(null, datagram(port, "127.0.0.1", "three"), "the burst of two is spent");
        assertEquals("OTHER", datagram(port, "127.0.0.2", "other"));
    }
}
