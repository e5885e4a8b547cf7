package io.portside.server.host.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Constants;
import org.osgi.framework.Version;

import io.portside.handler.api.PortsideProperties;
import io.portside.handler.api.StreamHandlerFactory;
import io.portside.server.runtime.FailureReason;

/** {@code max.connections}: the listener's key, the handler's default, and how the plan settles between them. */
class MaxConnectionsConfigTest {

    private static final Path HOME = Path.of("/tmp/portside-home");
    private static final String PID = "io.portside.listener~web";
    private static final String TCP = "tcp://127.0.0.1:7001";
    private static final StreamHandlerFactory STREAM = () -> null;

    private final DesiredListeners planner = new DesiredListeners(HOME);

    private static Map<String, Object> config(String... extra) {
        Map<String, Object> props = new HashMap<>(Map.of("endpoint", TCP, "handler", "echo"));
        for (int i = 0; i < extra.length; i += 2) {
            props.put(extra[i], extra[i + 1]);
        }
        return props;
    }

    private static HandlerCandidate echo(long id, int ranking, Object maxConnections) {
        Map<String, Object> props = new HashMap<>();
        props.put(PortsideProperties.HANDLER, "echo");
        props.put(PortsideProperties.ENDPOINT, TCP);
        props.put(Constants.SERVICE_ID, id);
        props.put(Constants.SERVICE_RANKING, ranking);
        if (maxConnections != null) {
            props.put(PortsideProperties.MAX_CONNECTIONS, maxConnections);
        }
        return HandlerCandidate.of(props, STREAM, true, "b", Version.emptyVersion, HOME);
    }

    private ListenerPlan plan(List<HandlerCandidate> handlers, Map<String, Map<String, Object>> configs) {
        return planner.plan(new WhiteboardSnapshot(handlers, List.of(), configs, Map.of(), Map.of(), false));
    }

    private static int limitOf(ListenerPlan plan) {
        return plan.desired().values().iterator().next().spec().connectionLimit();
    }

    @Test
    void theKeyParsesAndZeroMeansNoLimit() {
        assertEquals(50, ListenerSpecs.explicit(PID, config("max.connections", "50"), HOME).connectionLimit());
        assertEquals(0, ListenerSpecs.explicit(PID, config("max.connections", "0"), HOME).connectionLimit());
        assertNull(ListenerSpecs.explicit(PID, config(), HOME).maxConnections(), "unset: the serving handler's default");
        assertEquals(2000, ListenerSpecs.explicit(PID, config(), HOME).connectionLimit(), "the default until settled");
        assertEquals("'max.connections' must be at least 0: -1",
                assertThrows(IllegalArgumentException.class, () -> ListenerSpecs.explicit(PID, config("max.connections", "-1"), HOME)).getMessage());
        assertEquals("'max.connections' is not a whole number: 'lots'",
                assertThrows(IllegalArgumentException.class, () -> ListenerSpecs.explicit(PID, config("max.connections", "lots"), HOME)).getMessage());
    }

    @Test
    void aChangedLimitNeedsNoNewSocket() {
        ListenerSpec before = ListenerSpecs.explicit(PID, config("max.connections", "50"), HOME);
        ListenerSpec after = ListenerSpecs.explicit(PID, config("max.connections", "10"), HOME);
        assertFalse(before.needsRebind(after));
        assertFalse(before.equals(after), "a changed limit is a change the applier applies in place");
    }

    @Test
    void anImplicitListenerTakesTheWinningHandlersDefault() {
        HandlerCandidate low = echo(1, 0, 10);
        HandlerCandidate high = echo(2, 5, "30");
        assertEquals(30, limitOf(plan(List.of(low, high), Map.of())));
        assertEquals(2000, limitOf(plan(List.of(echo(3, 0, null)), Map.of())), "none declared: the default");
    }

    @Test
    void theConfigurationWinsOverTheHandlersDefault() {
        HandlerCandidate declares = echo(1, 0, 30);
        assertEquals(30, limitOf(plan(List.of(declares), Map.of(PID, config()))));
        assertEquals(7, limitOf(plan(List.of(declares), Map.of(PID, config("max.connections", "7")))));
        assertEquals(0, limitOf(plan(List.of(declares), Map.of(PID, config("max.connections", "0")))));
    }

    @Test
    void aHandlersBadDefaultFailsTheListenerClosed() {
        ListenerPlan plan = plan(List.of(echo(1, 0, "many")), Map.of(PID, config()));
        ListenerFailure f = plan.failures().get("web");
        assertEquals(FailureReason.BAD_CONFIGURATION, f.reason());
        assertTrue(f.detail().contains("'portside.max.connections' is not a whole number"), f.detail());
        assertTrue(plan.desired().isEmpty());
    }
}
