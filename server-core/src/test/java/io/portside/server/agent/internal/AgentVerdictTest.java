package io.portside.server.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.portside.server.runtime.FailureReason;
import io.portside.server.runtime.HandlerView;
import io.portside.server.runtime.ListenerState;
import io.portside.server.runtime.ListenerView;

/** The runtime view and the stopping flag mapped to the words HAProxy's agent-check reads. */
class AgentVerdictTest {

    private static final HandlerView ECHO = new HandlerView("echo", "io.portside.sample.echo", "1.0.0", 7, 0, 0);

    private static ListenerView bound(String name) {
        return ListenerView.builder().name(name).endpoint("tcp://127.0.0.1:" + (9000 + name.length())).state(ListenerState.BOUND)
                .handler(ECHO).build();
    }

    private static ListenerView inGap(String name) {
        return ListenerView.builder().name(name).endpoint("tcp://127.0.0.1:9001").state(ListenerState.WAITING).build();
    }

    private static ListenerView failed(String name, FailureReason reason) {
        return ListenerView.builder().name(name).endpoint("tcp://127.0.0.1:9002").state(ListenerState.FAILED)
                .failure("the port is taken").reason(reason).build();
    }

    private static ListenerView noHandler(String name) {
        return ListenerView.builder().name(name).endpoint("tcp://127.0.0.1:9003").state(ListenerState.WAITING)
                .failure("no handler").reason(FailureReason.NO_HANDLER).build();
    }

    private static String reply(List<ListenerView> views, Set<String> required, boolean stopping) {
        return AgentVerdict.judge(views, required, stopping).line();
    }

    @Test
    void boundListenersAreUpAndReadyWhichUndoesAnEarlierDrain() {
        assertEquals("up ready\n", reply(List.of(bound("echo"), bound("time")), Set.of(), false));
    }

    @Test
    void aHostWithoutListenersIsUp() {
        assertEquals("up ready\n", reply(List.of(), Set.of(), false));
    }

    @Test
    void aListenerInItsGapDrains() {
        assertEquals("up drain #listener echo in its gap\n", reply(List.of(inGap("echo"), bound("time")), Set.of(), false));
    }

    @Test
    void aFailedListenerIsDownWithItsReason() {
        assertEquals("down #listener echo failed: bind_failed\n",
                reply(List.of(failed("echo", FailureReason.BIND_FAILED), inGap("time")), Set.of(), false));
    }

    @Test
    void aConfiguredListenerWithoutAHandlerHasNoSocketSoIsDown() {
        assertEquals("down #listener echo has no handler\n", reply(List.of(noHandler("echo")), Set.of(), false));
    }

    @Test
    void aBoundListenerMissingARequiredPolicyRefusesEveryoneSoIsDown() {
        ListenerView refusing = bound("echo").toBuilder().failure("required policies not available: [edge]")
                .reason(FailureReason.POLICY_MISSING).build();
        assertEquals("down #listener echo refuses everyone: a required policy is missing\n", reply(List.of(refusing), Set.of(), false));
    }

    @Test
    void aRequiredListenerTheHostDoesNotHaveIsDown() {
        assertEquals("down #listener echo missing\n", reply(List.of(bound("time")), Set.of("echo"), false));
    }

    @Test
    void listenersNotRequiredAreIgnored() {
        List<ListenerView> views = List.of(bound("echo"), failed("scratch", FailureReason.BAD_CONFIGURATION), inGap("time"));
        assertEquals("up ready\n", reply(views, Set.of("echo"), false));
        assertEquals("up drain #listener time in its gap\n", reply(views, Set.of("echo", "time"), false));
    }

    @Test
    void aStoppingHostDrainsUnlessAListenerIsDown() {
        assertEquals("up drain #host stopping\n", reply(List.of(bound("echo")), Set.of(), true));
        assertEquals("up drain #host stopping\n", reply(List.of(inGap("echo")), Set.of(), true));
        assertEquals("down #listener echo failed: bind_failed\n",
                reply(List.of(failed("echo", FailureReason.BIND_FAILED)), Set.of(), true));
    }

    @Test
    void aBoundListenerServingItsLastGoodConfigurationIsStillUp() {
        ListenerView stale = bound("echo").toBuilder().failure("bad key").reason(FailureReason.BAD_CONFIGURATION).build();
        assertEquals("up ready\n", reply(List.of(stale), Set.of(), false));
    }

    @Test
    void theReasonStaysOneShortLineOfAsciiWhateverTheName() {
        String line = reply(List.of(inGap("e\u00e9\r\n#x" + "y".repeat(500))), Set.of(), false);
        assertEquals(line.indexOf('\n'), line.length() - 1, "one line: " + line);
        assertEquals("up drain #listener e???#x", line.substring(0, 25));
        assertEquals("up drain #".length() + AgentVerdict.MAX_REASON + 1, line.length());
    }
}
