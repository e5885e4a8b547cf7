package io.portside.server.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import org.junit.jupiter.api.Test;

class ListenerBeansTest {

    @Test
    void beansComeAndGoWithTheListenersAndReadTheirCountersNow() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        List<ListenerSample> listeners = new ArrayList<>(List.of(PortsideCollectorTest.echo()));
        try (ListenerBeans beans = new ListenerBeans(server, PortsideCollectorTest.source(listeners))) {
            beans.sync();
            ObjectName echo = new ObjectName("io.portside:type=Listener,name=echo");
            assertTrue(server.isRegistered(echo));
            assertEquals(10L, server.getAttribute(echo, "ConnectionsAccepted"));
            assertEquals(5L, server.getAttribute(echo, "Refused"));
            assertEquals(200L, server.getAttribute(echo, "BytesSent"));
            assertEquals("io.portside.sample.echo 1.2.0", server.getAttribute(echo, "Revision"));
            assertEquals("BOUND", server.getAttribute(echo, "State"));
            TabularData byReason = (TabularData) server.getAttribute(echo, "RefusedByReason");
            CompositeData policy = byReason.get(new Object[] {"policy"});
            assertEquals(4L, policy.get("value"));

            listeners.clear();
            listeners.add(ListenerSample.unbound("odd name:1", "udp://127.0.0.1:1", "udp", "-", "WAITING"));
            beans.sync();
            assertFalse(server.isRegistered(echo), "gone with its listener");
            ObjectName odd = ListenerBeans.nameOf("odd name:1");
            assertEquals("\"odd name:1\"", odd.getKeyProperty("name"));
            assertEquals("WAITING", server.getAttribute(odd, "State"));
            assertEquals("", server.getAttribute(odd, "Revision"));
            assertEquals(-1.0, server.getAttribute(odd, "P99Millis"));
        }
        assertTrue(server.queryNames(new ObjectName("io.portside:type=Listener,*"), null).isEmpty(), "closed: all unregistered");
    }
}
