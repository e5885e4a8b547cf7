package io.portside.server.host.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.portside.server.runtime.FailureReason;
import io.portside.server.runtime.HandlerView;
import io.portside.server.runtime.ListenerState;
import io.portside.server.runtime.ListenerView;

/** The text of {@code portside:json} and {@code portside:listeners}: scripts and tests parse it. */
class RuntimeFormatTest {

    private static final HandlerView ECHO = new HandlerView("echo", "io.portside.echo", "1.0.0", 42, 0, 1);

    @Test
    void jsonKeepsItsFieldsAndAddsTheReasonLast() {
        ListenerView bound = ListenerView.builder().name("echo-tcp").endpoint("tcp://127.0.0.1:9999").state(ListenerState.BOUND)
                .handler(ECHO).concurrency("virtual").policies(List.of("allow")).openConnections(1).accepted(2).rejected(3).errors(4)
                .drained(5).bytesIn(6).bytesOut(7).build();
        ListenerView failed = new ListenerFailure("web", "tcp://127.0.0.1:7001", ListenerState.FAILED, FailureReason.BIND_FAILED, "cannot \"bind\"")
                .view();

        assertEquals("{\"changeCount\":9,\"listeners\":["
                + "{\"name\":\"echo-tcp\",\"endpoint\":\"tcp://127.0.0.1:9999\",\"state\":\"BOUND\",\"handler\":{\"name\":\"echo\","
                + "\"bundle\":\"io.portside.echo\",\"version\":\"1.0.0\",\"serviceId\":42,\"ranking\":0,\"openConnections\":1},"
                + "\"shadowed\":[],\"draining\":[],\"concurrency\":\"virtual\",\"policies\":[\"allow\"],\"openConnections\":1,"
                + "\"accepted\":2,\"rejected\":3,\"errors\":4,\"drained\":5,\"timedOut\":0,\"overdue\":0,\"tlsFailures\":0,\"bytesIn\":6,\"bytesOut\":7,\"failure\":null,\"reason\":null},"
                + "{\"name\":\"web\",\"endpoint\":\"tcp://127.0.0.1:7001\",\"state\":\"FAILED\",\"handler\":null,\"shadowed\":[],"
                + "\"draining\":[],\"concurrency\":\"-\",\"policies\":[],\"openConnections\":0,\"accepted\":0,\"rejected\":0,\"errors\":0,"
                + "\"drained\":0,\"timedOut\":0,\"overdue\":0,\"tlsFailures\":0,\"bytesIn\":0,\"bytesOut\":0,\"failure\":\"cannot \\\"bind\\\"\",\"reason\":\"BIND_FAILED\"}]}",
                RuntimeFormat.json(List.of(bound, failed), 9));
    }

    @Test
    void tableShowsTheStateByName() {
        ListenerView waiting = ListenerView.builder().name("web").endpoint("tcp://127.0.0.1:7001").state(ListenerState.WAITING)
                .failure("no handler matches (portside.handler=echo)").reason(FailureReason.NO_HANDLER).build();

        String table = RuntimeFormat.table(List.of(waiting));

        assertTrue(table.lines().skip(1).findFirst().orElseThrow().matches("tcp://127\\.0\\.0\\.1:7001\\s+WAITING\\s+-\\s+-\\s+0\\s+0\\s+0"), table);
        assertTrue(table.contains("    failure: no handler matches (portside.handler=echo)\n"), table);
    }

    @Test
    void aViewGrowsThroughItsBuilder() {
        ListenerView v = ListenerView.builder().name("a").endpoint("tcp://127.0.0.1:1").state(ListenerState.BOUND).build();
        ListenerView changed = v.toBuilder().failure("bad configuration").reason(FailureReason.BAD_CONFIGURATION).build();

        assertNull(v.reason());
        assertEquals(FailureReason.BAD_CONFIGURATION, changed.reason());
        assertEquals(v, changed.toBuilder().failure(null).reason(null).build());
    }
}
