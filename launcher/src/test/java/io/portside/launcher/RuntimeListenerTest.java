package io.portside.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The tests' reading of {@code portside:json}: every field by its JSON name, escapes, and fields added later ignored. */
class RuntimeListenerTest {

    private static final String JSON = "{\"changeCount\":7,\"listeners\":["
            + "{\"name\":\"banner\",\"endpoint\":\"tcp://127.0.0.1:4242\",\"state\":\"BOUND\","
            + "\"handler\":{\"name\":\"banner\",\"bundle\":\"io.portside.fixture.banner\",\"version\":\"2.0.0\",\"serviceId\":41,\"ranking\":0,\"openConnections\":3},"
            + "\"shadowed\":[{\"name\":\"banner\",\"bundle\":\"io.portside.fixture.banner\",\"version\":\"1.0.0\",\"serviceId\":40,\"ranking\":-1,\"openConnections\":0}],"
            + "\"draining\":[],\"concurrency\":\"forking(max 12, min idle 1)\",\"policies\":[\"single\",\"only-one\"],"
            + "\"openConnections\":3,\"accepted\":10,\"rejected\":2,\"errors\":1,\"drained\":0,\"timedOut\":4,\"overdue\":5,\"tlsFailures\":6,\"bytesIn\":100,\"bytesOut\":200,"
            + "\"failure\":\"unknown key 'polcy.required' \\\"quoted\\\"\\n\\u0041\",\"reason\":\"A_FIELD_ADDED_LATER\"},"
            + "{\"name\":\"late\",\"endpoint\":\"unix:/tmp/x y.sock\",\"state\":\"WAITING\",\"handler\":null,\"shadowed\":[],\"draining\":[],"
            + "\"concurrency\":\"-\",\"policies\":[],\"openConnections\":0,\"accepted\":0,\"rejected\":0,\"errors\":0,\"drained\":0,"
            + "\"timedOut\":0,\"overdue\":0,\"tlsFailures\":0,\"bytesIn\":0,\"bytesOut\":0,\"failure\":\"no handler matches (portside.handler=late)\"}]}";

    @Test
    void readsEveryFieldOfTheView() {
        RuntimeListener.Snapshot s = RuntimeListener.Snapshot.parse(JSON);
        assertEquals(7, s.changeCount());
        RuntimeListener banner = s.named("banner");
        assertTrue(banner.bound() && banner.serves("banner", "2.0.0"));
        assertEquals(4242, banner.port());
        assertEquals(new RuntimeListener.Handler("banner", "io.portside.fixture.banner", "1.0.0", 40, -1, 0), banner.shadowed().get(0));
        assertEquals(List.of("single", "only-one"), banner.policies());
        assertEquals(List.of(3L, 10L, 2L, 1L, 0L, 4L, 5L, 6L, 100L, 200L), List.of(banner.openConnections(), banner.accepted(),
                banner.rejected(), banner.errors(), banner.drained(), banner.timedOut(), banner.overdue(), banner.tlsFailures(),
                banner.bytesIn(), banner.bytesOut()));
        assertEquals("unknown key 'polcy.required' \"quoted\"\nA", banner.failure());
        assertEquals("forking(max 12, min idle 1)", banner.concurrency());
    }

    @Test
    void tellsAListenerUnboundForWantOfAHandlerFromOneInTheGap() {
        RuntimeListener late = RuntimeListener.Snapshot.parse(JSON).named("late");
        assertNull(late.handler());
        assertTrue(late.unboundForWantOfAHandler());
        assertTrue(!late.inGap());
        assertNull(RuntimeListener.Snapshot.parse(JSON).named("nobody"));
    }

    @Test
    void badJsonIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> JsonReader.parse("{\"a\":1} trailing"));
        assertThrows(IllegalArgumentException.class, () -> JsonReader.parse("{\"a\":}"));
    }
}
