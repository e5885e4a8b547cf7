package io.portside.launcher;

import static io.portside.launcher.HostHarness.awaitAnswer;
import static io.portside.launcher.HostHarness.freePort;
import static io.portside.launcher.HostHarness.sampleBundle;
import static io.portside.launcher.HostHarness.testBundle;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code reuseport.sockets} on the real launcher: a listener of several SO_REUSEPORT sockets, one serving thread each,
 * swaps its handler under load with no error and one revision per connection, switches its model in place, answers
 * datagrams from many senders, and releases the port (every socket) when its configuration goes.
 */
class ReusePortIT {

    private static final Duration SOON = Duration.ofSeconds(15);

    @TempDir
    Path home;
    HostHarness host;

    @BeforeEach
    void boot() throws Exception {
        host = HostHarness.start(home, Map.of());
    }

    @AfterEach
    void stop() {
        host.close();
    }

    /** Serving threads of a listener: the host names every socket's thread (and a datagram socket's relay) alike. */
    private static long servingThreads(String listener) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("portside-listener-" + listener)).count();
    }

    private static String bannerVersion(String requestAndReply) {
        String[] parts = requestAndReply.split("\u0000", 2);
        for (String v : new String[] {"v1", "v2"}) {
            if (parts[1].equals(v + ":" + parts[0])) {
                return v;
            }
        }
        return null;
    }

    @Test
    void aTcpListenerOfFourSocketsSwapsItsHandlerUnderLoadWithoutAnErrorAndReleasesThePort() throws Exception {
        int port = freePort();
        host.writeConfig("io.portside.listener-banner.cfg",
                "endpoint=tcp://127.0.0.1:" + port + "\nhandler=banner\nreuseport.sockets=4\n");
        host.deploy(testBundle("banner-v1"), "banner.jar");
        awaitAnswer(port, "ready", "v1:ready", SOON);
        assertEquals(4, servingThreads("banner"), "one serving thread per socket");

        SwapLoad load = SwapLoad.start(port, 50, 5, ReusePortIT::bannerVersion);
        try {
            Thread.sleep(300);
            for (int i = 0; i < 6; i++) {
                String next = i % 2 == 0 ? "2" : "1";
                long began = System.nanoTime();
                host.deploy(testBundle("banner-v" + next), "banner.jar");
                host.awaitLogEntry("Listener banner on .*: (swapped handler .* -> banner \\(io\\.portside\\.fixture\\.banner "
                        + next + "\\.0\\.0\\)|handler banner \\(io\\.portside\\.fixture\\.banner " + next + "\\.0\\.0\\) active again)",
                        SOON, began);
                Thread.sleep(200);
            }
        } finally {
            load.stop();
        }
        assertEquals(List.of(), load.errors().subList(0, Math.min(10, load.errors().size())), load.errors().size() + " errors");
        assertTrue(load.requests() > 200, "only " + load.requests() + " requests were served");
        for (SwapLoad.Connection c : load.connections()) {
            assertTrue(c.versions().stream().distinct().count() <= 1, "a connection changed revision: " + c.versions());
        }

        host.delete("io.portside.listener-banner.cfg");
        host.delete("banner.jar");
        HostHarness.await(() -> bindsAlone(port), SOON, "port " + port + " free of all four sockets");
    }

    @Test
    void aUdpListenerOfFourSocketsAnswersEverySenderAcrossAModelSwitchAndReleasesThePort() throws Exception {
        int port;
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        host.writeNewConfig("io.portside.sample.echo.stream.cfg", "portside.endpoint=tcp://127.0.0.1:" + freePort() + "\n");
        host.writeNewConfig("io.portside.sample.echo.datagram.cfg", "portside.endpoint=unixgram:sockets/echo-rp-dgram.sock\n");
        host.writeConfig("io.portside.listener-rp-udp.cfg",
                "endpoint=udp://127.0.0.1:" + port + "\nhandler=echo\nconcurrency=virtual\nreuseport.sockets=4\n");
        host.deploy(sampleBundle("echo"), "echo.jar");
        host.awaitBound("rp-udp", "udp://127.0.0.1:" + port, SOON);
        int finalPort = port;
        HostHarness.await(() -> "PING".equals(datagram(finalPort, "ping")), SOON, "the first answer");
        assertTrue(servingThreads("rp-udp") >= 4, "one receiving thread per socket: " + servingThreads("rp-udp"));

        assertEquals(64, answeredBy(port, 64), "every sender, whichever socket the kernel chose");
        host.writeConfig("io.portside.listener-rp-udp.cfg",
                "endpoint=udp://127.0.0.1:" + port + "\nhandler=echo\nconcurrency=pool\nreuseport.sockets=4\n");
        host.awaitListener("rp-udp", l -> l.concurrency().startsWith("pool"), SOON);
        assertEquals(64, answeredBy(port, 64), "switched in place, on every socket");
        host.writeConfig("io.portside.listener-rp-udp.cfg",
                "endpoint=udp://127.0.0.1:" + port + "\nhandler=echo\nconcurrency=virtual\nreuseport.sockets=4\n");
        host.awaitListener("rp-udp", l -> l.concurrency().equals("virtual"), SOON);
        assertEquals(64, answeredBy(port, 64), "and back");

        host.delete("io.portside.listener-rp-udp.cfg");
        HostHarness.await(() -> udpBindsAlone(finalPort), SOON, "UDP port " + port + " free of all four sockets");
    }

    /** Senders, each from a socket of its own, answered (upper-cased) within a second. */
    private static int answeredBy(int port, int senders) {
        int answered = 0;
        for (int i = 0; i < senders; i++) {
            answered += ("M" + i).equals(datagram(port, "m" + i)) ? 1 : 0;
        }
        return answered;
    }

    private static String datagram(int port, String message) {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            s.setSoTimeout(1000);
            byte[] data = message.getBytes(StandardCharsets.US_ASCII);
            s.send(new DatagramPacket(data, data.length, InetAddress.getLoopbackAddress(), port));
            DatagramPacket reply = new DatagramPacket(new byte[256], 256);
            s.receive(reply);
            return new String(reply.getData(), 0, reply.getLength(), StandardCharsets.US_ASCII);
        } catch (Exception e) {
            return null;
        }
    }

    /** A socket without SO_REUSEPORT binds only when no socket of the listener is left. */
    private static boolean bindsAlone(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static boolean udpBindsAlone(int port) {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
