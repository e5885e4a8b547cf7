package io.portside.launcher;

import static io.portside.launcher.HostHarness.freePort;
import static io.portside.launcher.HostHarness.sampleBundle;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The listeners' MBeans in an embedded host, read from the platform MBean server as JConsole or a JMX exporter would:
 * registered as listeners come, counting their traffic, unregistered as they go. The HTTP endpoint is switched off
 * here (deploy/io.portside.metrics.cfg), which leaves the MBeans.
 */
class MetricsBeansIT {

    private static final Duration SOON = Duration.ofSeconds(10);
    private final MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();

    @TempDir
    Path home;
    HostHarness host;

    @BeforeEach
    void boot() throws Exception {
        Files.writeString(Files.createDirectories(home.resolve("deploy")).resolve("io.portside.metrics.cfg"), "enabled=false\n");
        host = HostHarness.start(home, Map.of());
    }

    @AfterEach
    void stop() {
        host.close();
    }

    @Test
    void aListenersBeanCountsItsTrafficAndGoesWithIt() throws Exception {
        int port = freePort();
        host.writeNewConfig("io.portside.sample.echo.stream.cfg", "portside.endpoint=tcp://127.0.0.1:" + port + "\n");
        host.writeNewConfig("io.portside.sample.echo.datagram.cfg", "portside.endpoint=udp://127.0.0.1:" + freePort() + "\n");
        host.deploy(sampleBundle("echo"), "echo.jar");
        host.awaitBound("echo-tcp", "tcp://127.0.0.1:" + port, SOON);
        host.awaitLog("Metrics endpoint off \\(io\\.portside\\.metrics\\.cfg: enabled=false\\); the MBeans stay", SOON);

        ObjectName echo = new ObjectName("io.portside:type=Listener,name=echo-tcp");
        HostHarness.await(() -> jmx.isRegistered(echo), SOON, "the MBean of echo-tcp");
        assertEquals("HELLO", HostHarness.exchange(port, "hello"));
        HostHarness.await(() -> (long) attribute(echo, "BytesSent") >= "HELLO\n".length(), SOON, "BytesSent to count the reply");
        assertTrue((long) attribute(echo, "ConnectionsAccepted") >= 1);
        assertTrue((long) attribute(echo, "RequestsHandled") >= 1);
        assertEquals("BOUND", attribute(echo, "State"));
        assertEquals("tcp", attribute(echo, "Transport"));
        assertTrue(((String) attribute(echo, "Revision")).startsWith("io.portside.sample.echo "), (String) attribute(echo, "Revision"));
        assertTrue((double) attribute(echo, "P99Millis") > 0);

        host.delete("echo.jar");
        host.awaitUnbound("echo-tcp", SOON);
        HostHarness.await(() -> !jmx.isRegistered(echo), SOON, "the MBean to go with its listener");
    }

    @Test
    void aSwapIsCountedAndTheRevisionFollowsIt() throws Exception {
        int port = freePort();
        host.writeConfig("io.portside.listener-banner.cfg", "endpoint=tcp://127.0.0.1:" + port + "\nhandler=banner\n");
        host.deploy(HostHarness.testBundle("banner-v1"), "banner.jar");
        HostHarness.awaitAnswer(port, "ready", "v1:ready", SOON);
        ObjectName banner = new ObjectName("io.portside:type=Listener,name=banner");
        HostHarness.await(() -> jmx.isRegistered(banner), SOON, "the MBean of banner");
        assertEquals(1L, attribute(banner, "Swaps"), "the first revision counts");
        String v1 = (String) attribute(banner, "Revision");

        host.deploy(HostHarness.testBundle("banner-v2"), "banner.jar");
        HostHarness.awaitAnswer(port, "ready", "v2:ready", SOON);
        HostHarness.await(() -> (long) attribute(banner, "Swaps") == 2, SOON, "the swap to be counted");
        assertTrue(!v1.equals(attribute(banner, "Revision")), "the revision follows the swap: " + v1);
        assertEquals(0L, attribute(banner, "DrainDeadlineCloses"), "nothing was open to close");
    }

    private Object attribute(ObjectName name, String attribute) {
        try {
            return jmx.getAttribute(name, attribute);
        } catch (Exception e) {
            throw new AssertionError("cannot read " + name + " " + attribute + ": " + e, e);
        }
    }
}
