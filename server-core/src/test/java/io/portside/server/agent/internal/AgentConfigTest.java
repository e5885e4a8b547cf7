package io.portside.server.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** io.portside.agent.cfg as ConfigAdmin delivers it: defaults, lists, and the operator's mistakes named. */
class AgentConfigTest {

    @Test
    void onlyTheEndpointIsRequired() {
        AgentConfig c = AgentConfig.from(Map.of("endpoint", "tcp://127.0.0.1:9100", "service.pid", "io.portside.agent",
                "felix.fileinstall.filename", "file:/x/io.portside.agent.cfg", "component.id", 5L,
                "osgi.ds.satisfying.condition.target", "(osgi.condition.id=true)", "portside.stop", "drain"));
        assertEquals(new InetSocketAddress("127.0.0.1", 9100), c.endpoint());
        assertEquals(Set.of(), c.required());
        assertEquals(Duration.ofSeconds(5), c.stopDrain());
    }

    @Test
    void listenersAndStopDrainAreRead() {
        AgentConfig c = AgentConfig.from(Map.of("endpoint", "tcp://[::1]:0", "listeners", "echo, time", "stop.drain", "1500ms"));
        assertEquals(new InetSocketAddress("::1", 0), c.endpoint());
        assertEquals(Set.of("echo", "time"), c.required());
        assertEquals(Duration.ofMillis(1500), c.stopDrain());
    }

    @Test
    void mistakesAreNamed() {
        assertTrue(message(Map.of()).contains("'endpoint' is required"));
        assertTrue(message(Map.of("endpoint", "udp://127.0.0.1:9100")).contains("tcp://HOST:PORT"));
        assertTrue(message(Map.of("endpoint", "tcp://127.0.0.1")).contains("tcp://HOST:PORT"));
        assertTrue(message(Map.of("endpoint", "tcp://127.0.0.1:9100/x")).contains("tcp://HOST:PORT"));
        assertTrue(message(Map.of("endpoint", "tcp://127.0.0.1:9100", "stop.drian", "1s")).contains("unknown key 'stop.drian'"));
        assertTrue(message(Map.of("endpoint", "tcp://127.0.0.1:9100", "stop.drain", "soon")).contains("stop.drain"));
    }

    private static String message(Map<String, ?> properties) {
        return assertThrows(IllegalArgumentException.class, () -> AgentConfig.from(properties)).getMessage();
    }
}
