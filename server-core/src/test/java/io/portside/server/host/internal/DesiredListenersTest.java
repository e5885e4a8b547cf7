package io.portside.server.host.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.osgi.framework.Constants;
import org.osgi.framework.Version;

import io.portside.handler.api.DatagramHandlerFactory;
import io.portside.handler.api.PolicyDecision;
import io.portside.handler.api.PortsideProperties;
import io.portside.handler.api.RequestPolicy;
import io.portside.handler.api.StreamHandlerFactory;
import io.portside.server.runtime.FailureReason;
import io.portside.server.runtime.ListenerState;

/** The whiteboard's plan, as a function of a snapshot: no OSGi framework, no sockets. */
@Execution(ExecutionMode.CONCURRENT)
class DesiredListenersTest {

    private static final Path HOME = Path.of("/tmp/portside-home");
    private static final String TCP_1 = key("tcp://127.0.0.1:7001");
    private static final String TCP_2 = key("tcp://127.0.0.1:7002");
    private static final String UDP_1 = key("udp://127.0.0.1:7001");
    private static final StreamHandlerFactory STREAM = () -> null;
    private static final DatagramHandlerFactory DATAGRAM = () -> null;
    private static final RequestPolicy ALLOW = request -> PolicyDecision.accept();

    private final DesiredListeners planner = new DesiredListeners(HOME);
    private long nextServiceId = 100;

    // ------------------------------------------------------------------ endpoints and winners

    @Test
    void handlersOwnEndpointAndAConfiguredOneAreBothPlanned() {
        HandlerCandidate echo = stream("echo", 0, "tcp://127.0.0.1:7001");
        ListenerPlan plan = plan(List.of(echo), List.of(), Map.of("io.portside.listener~web", config("web", "tcp://127.0.0.1:7002", "echo")));

        assertEquals(List.of(TCP_1, TCP_2), List.copyOf(plan.desired().keySet()));
        DesiredListener implicit = plan.desired().get(TCP_1);
        assertEquals("echo-tcp", implicit.spec().name());
        assertFalse(implicit.spec().explicit());
        assertSame(echo, implicit.winner());
        DesiredListener explicit = plan.desired().get(TCP_2);
        assertEquals("web", explicit.spec().name());
        assertTrue(explicit.spec().explicit());
        assertSame(echo, explicit.winner());
        assertTrue(plan.failures().isEmpty(), plan.failures().toString());
    }

    @Test
    void highestRankingWinsAndTheOthersAreShadowed() {
        HandlerCandidate low = stream("echo", 1, "tcp://127.0.0.1:7001");
        HandlerCandidate high = stream("echo", 5, "tcp://127.0.0.1:7001");
        HandlerCandidate sameRankingLaterId = stream("echo", 1, "tcp://127.0.0.1:7001");

        DesiredListener d = plan(List.of(low, sameRankingLaterId, high), List.of(), Map.of()).desired().get(TCP_1);

        assertSame(high, d.winner());
        assertEquals(List.of(low, sameRankingLaterId), d.shadowed());
    }

    @Test
    void aHigherBundleVersionWinsATie() {
        HandlerCandidate old = candidate("echo", 0, STREAM, true, Version.parseVersion("1.0.0"), "tcp://127.0.0.1:7001");
        HandlerCandidate newer = candidate("echo", 0, STREAM, true, Version.parseVersion("1.1.0"), "tcp://127.0.0.1:7001");

        DesiredListener d = plan(List.of(old, newer), List.of(), Map.of()).desired().get(TCP_1);

        assertSame(newer, d.winner());
        assertEquals(List.of(old), d.shadowed());
    }

    @Test
    void aDatagramHandlerOnAStreamEndpointIsATransportMismatch() {
        HandlerCandidate echo = datagram("echo", "udp://127.0.0.1:7001");
        ListenerPlan plan = plan(List.of(echo), List.of(), Map.of("io.portside.listener~web", config("web", "tcp://127.0.0.1:7001", "echo")));

        ListenerFailure f = plan.failures().get("web");
        assertEquals(FailureReason.TRANSPORT_MISMATCH, f.reason());
        assertEquals(ListenerState.FAILED, f.state());
        assertTrue(f.detail().contains("serves datagrams"), f.detail());
        assertNull(plan.desired().get(TCP_1).winner());
        assertNotNull(plan.desired().get(UDP_1), "the handler's own datagram endpoint is planned as usual");
    }

    @Test
    void aNameCoveringBothKindsServesEachEndpointWithTheKindThatFits() {
        HandlerCandidate streamEcho = stream("echo", 0);
        HandlerCandidate datagramEcho = datagram("echo");
        ListenerPlan plan = plan(List.of(datagramEcho, streamEcho), List.of(),
                Map.of("io.portside.listener~a", config("a", "tcp://127.0.0.1:7001", "echo"),
                        "io.portside.listener~b", config("b", "udp://127.0.0.1:7001", "echo")));

        assertSame(streamEcho, plan.desired().get(TCP_1).winner());
        assertSame(datagramEcho, plan.desired().get(UDP_1).winner());
        assertTrue(plan.failures().isEmpty(), plan.failures().toString());
    }

    @Test
    void aConfiguredListenerWithoutAMatchingHandlerWaits() {
        ListenerPlan plan = plan(List.of(), List.of(), Map.of("io.portside.listener~web", config("web", "tcp://127.0.0.1:7001", "echo")));

        DesiredListener d = plan.desired().get(TCP_1);
        assertNull(d.winner());
        ListenerFailure waiting = d.waitingWithoutSocket();
        assertEquals(ListenerState.WAITING, waiting.state());
        assertEquals(FailureReason.NO_HANDLER, waiting.reason());
        assertTrue(plan.failures().isEmpty(), "waiting is shown by the applier only while there is no socket");
    }

    @Test
    void aBadDeclaredEndpointIsReported() {
        ListenerPlan plan = plan(List.of(stream("echo", 0, "nowhere")), List.of(), Map.of());

        assertEquals(FailureReason.BAD_ENDPOINT, plan.failures().get("echo").reason());
        assertTrue(plan.desired().isEmpty());
    }

    // ------------------------------------------------------------------ configurations

    @Test
    void anInvalidConfigurationClaimsItsEndpointAndKeepsItClosed() {
        HandlerCandidate echo = stream("echo", 0, "tcp://127.0.0.1:7001");
        Map<String, Object> bad = config("web", "tcp://127.0.0.1:7001", "echo");
        bad.put("polcy.required", "allow");

        ListenerPlan plan = plan(List.of(echo), List.of(), Map.of("io.portside.listener~web", bad));

        assertTrue(plan.desired().isEmpty(), "the handler's own listener on the claimed endpoint is not planned");
        assertEquals("web", plan.claimedBy(TCP_1));
        ListenerFailure f = plan.failures().get("web");
        assertEquals(FailureReason.BAD_CONFIGURATION, f.reason());
        assertTrue(f.detail().contains("unknown key 'polcy.required'"), f.detail());
        assertTrue(f.detail().contains("stays closed"), f.detail());
    }

    @Test
    void anInvalidConfigurationKeepsItsLastGoodOne() {
        HandlerCandidate echo = stream("echo", 0);
        String pid = "io.portside.listener~web";
        ListenerPlan good = plan(List.of(echo), List.of(), Map.of(pid, config("web", "tcp://127.0.0.1:7001", "echo")));
        Map<String, Object> bad = config("web", "tcp://127.0.0.1:7001", "echo");
        bad.put("backlog", "lots");

        ListenerPlan plan = planner.plan(new WhiteboardSnapshot(List.of(echo), List.of(), Map.of(pid, bad), good.lastGood(), Map.of(), false));

        assertEquals(good.desired().get(TCP_1).spec(), plan.desired().get(TCP_1).spec());
        assertSame(echo, plan.desired().get(TCP_1).winner());
        assertTrue(plan.failures().isEmpty(), plan.failures().toString());
        assertTrue(plan.configProblems().get("web").contains("keeps its last good configuration"), plan.configProblems().toString());
        assertTrue(plan.claimed().isEmpty(), "its last good configuration names the same endpoint");
        assertEquals(good.lastGood(), plan.lastGood());
    }

    @Test
    void aRemovedConfigurationForgetsItsLastGoodOne() {
        String pid = "io.portside.listener~web";
        ListenerPlan good = plan(List.of(), List.of(), Map.of(pid, config("web", "tcp://127.0.0.1:7001", "echo")));

        ListenerPlan plan = planner.plan(new WhiteboardSnapshot(List.of(), List.of(), Map.of(), good.lastGood(), Map.of(), false));

        assertTrue(plan.lastGood().isEmpty());
        assertTrue(plan.desired().isEmpty());
    }

    @Test
    void anEndpointConfiguredTwiceGoesToTheFirstConfiguration() {
        ListenerPlan plan = plan(List.of(stream("echo", 0)), List.of(),
                Map.of("io.portside.listener~b", config("b", "tcp://127.0.0.1:7001", "echo"),
                        "io.portside.listener~a", config("a", "tcp://127.0.0.1:7001", "echo")));

        assertEquals("a", plan.desired().get(TCP_1).spec().name());
        ListenerFailure f = plan.failures().get("b");
        assertEquals(FailureReason.ENDPOINT_CONFIGURED_TWICE, f.reason());
        assertTrue(f.detail().contains("listener a"), f.detail());
    }

    @Test
    void aConfigurationTakesTheEndpointOverFromTheHandler() {
        HandlerCandidate echo = stream("echo", 0, "tcp://127.0.0.1:7001");
        ListenerPlan plan = plan(List.of(echo), List.of(), Map.of("io.portside.listener~web", config("web", "tcp://127.0.0.1:7001", "echo")));

        assertEquals("web", plan.desired().get(TCP_1).spec().name());
        assertEquals(1, plan.desired().size());
    }

    @Test
    void handlersOwnEndpointsWaitWhileTheStartIsHeld() {
        HandlerCandidate echo = stream("echo", 0, "tcp://127.0.0.1:7001");
        ListenerPlan plan = planner.plan(new WhiteboardSnapshot(List.of(echo), List.of(),
                Map.of("io.portside.listener~web", config("web", "tcp://127.0.0.1:7002", "echo")), Map.of(), Map.of(), true));

        assertEquals(List.of(TCP_2), List.copyOf(plan.desired().keySet()), "configured listeners do not wait");
    }

    // ------------------------------------------------------------------ concurrency

    @Test
    void aConfiguredListenerTakesTheWinnersConcurrency() {
        HandlerCandidate echo = stream("echo", 0, Map.of(PortsideProperties.CONCURRENCY, "threading"));
        ListenerPlan plan = plan(List.of(echo), List.of(), Map.of("io.portside.listener~web", config("web", "tcp://127.0.0.1:7001", "echo")));

        assertEquals("threading", plan.desired().get(TCP_1).spec().concurrency().toString());
    }

    @Test
    void aRunningListenerKeepsItsConcurrencyWhenRepointed() {
        HandlerCandidate echo = stream("echo", 0, Map.of(PortsideProperties.CONCURRENCY, "threading"));
        ConcurrencySpec running = ConcurrencySpec.DEFAULT_KNOBS.forKind("sync");

        ListenerPlan plan = planner.plan(new WhiteboardSnapshot(List.of(echo), List.of(),
                Map.of("io.portside.listener~web", config("web", "tcp://127.0.0.1:7001", "echo")), Map.of(), Map.of(TCP_1, running), false));

        assertSame(running, plan.desired().get(TCP_1).spec().concurrency());
    }

    @Test
    void aConfiguredConcurrencyWinsOverTheRunningOne() {
        Map<String, Object> web = config("web", "tcp://127.0.0.1:7001", "echo");
        web.put("concurrency", "pool");
        ConcurrencySpec running = ConcurrencySpec.DEFAULT_KNOBS.forKind("sync");

        ListenerPlan plan = planner.plan(new WhiteboardSnapshot(List.of(stream("echo", 0)), List.of(),
                Map.of("io.portside.listener~web", web), Map.of(), Map.of(TCP_1, running), false));

        assertEquals("pool(16, queue 64)", plan.desired().get(TCP_1).spec().concurrency().toString());
    }

    @Test
    void aWinnersBadConcurrencyFailsTheListener() {
        HandlerCandidate echo = stream("echo", 0, Map.of(PortsideProperties.CONCURRENCY, "fast"));
        ListenerPlan plan = plan(List.of(echo), List.of(), Map.of("io.portside.listener~web", config("web", "tcp://127.0.0.1:7001", "echo")));

        assertEquals(FailureReason.BAD_CONCURRENCY, plan.failures().get("web").reason());
        assertTrue(plan.desired().isEmpty());
    }

    @Test
    void aHandlersOwnEndpointWithBadConcurrencyFails() {
        HandlerCandidate echo = stream("echo", 0, Map.of(PortsideProperties.CONCURRENCY, "fast", PortsideProperties.ENDPOINT,
                "tcp://127.0.0.1:7001"));
        ListenerPlan plan = plan(List.of(echo), List.of(), Map.of());

        assertEquals(FailureReason.BAD_CONCURRENCY, plan.failures().get("echo").reason());
        assertTrue(plan.desired().isEmpty());
    }

    // ------------------------------------------------------------------ policies

    @Test
    void aListenerWithoutPoliciesHasTheEmptyChain() {
        ListenerPlan plan = plan(List.of(stream("echo", 0, "tcp://127.0.0.1:7001")), List.of(policy("allow", 0)), Map.of());

        assertSame(PolicyChain.NONE, plan.desired().get(TCP_1).chain());
        assertEquals(java.util.Set.of("allow"), plan.policyNames());
    }

    @Test
    void aRequiredPolicyThatIsPresentIsInTheChain() {
        Map<String, Object> web = config("web", "tcp://127.0.0.1:7001", "echo");
        web.put("policy.required", "allow");
        ListenerPlan plan = plan(List.of(stream("echo", 0)), List.of(policy("allow", 0), policy("other", 0)),
                Map.of("io.portside.listener~web", web));

        PolicyChain chain = plan.desired().get(TCP_1).chain();
        assertTrue(chain.required());
        assertEquals(List.of("allow"), chain.names());
        assertTrue(chain.missing().isEmpty());
    }

    @Test
    void aRequiredPolicyThatIsMissingIsNamedSoTheChainFailsClosed() {
        Map<String, Object> web = config("web", "tcp://127.0.0.1:7001", "echo");
        web.put("policy.required", "allow");
        ListenerPlan plan = plan(List.of(stream("echo", 0)), List.of(policy("other", 0)), Map.of("io.portside.listener~web", web));

        PolicyChain chain = plan.desired().get(TCP_1).chain();
        assertEquals(List.of("allow"), chain.missing());
        assertFalse(chain.verify(new PolicyChain.ConnectionRequest("web", null, null)).accepted());
    }

    @Test
    void policiesMatchingTheTargetAreConsultedHighestRankingFirst() {
        Map<String, Object> web = config("web", "tcp://127.0.0.1:7001", "echo");
        web.put("policy.target", "(portside.policy=a*)");
        ListenerPlan plan = plan(List.of(stream("echo", 0)), List.of(policy("allow-low", 1), policy("bye", 9), policy("allow-high", 5)),
                Map.of("io.portside.listener~web", web));

        assertEquals(List.of("allow-high", "allow-low"), plan.desired().get(TCP_1).chain().names());
    }

    // ------------------------------------------------------------------ helpers

    private ListenerPlan plan(List<HandlerCandidate> handlers, List<PolicyCandidate> policies, Map<String, Map<String, Object>> configs) {
        return planner.plan(new WhiteboardSnapshot(handlers, policies, configs, Map.of(), Map.of(), false));
    }

    private HandlerCandidate stream(String name, int ranking, String... endpoints) {
        return candidate(name, ranking, STREAM, true, Version.emptyVersion, endpoints);
    }

    private HandlerCandidate stream(String name, int ranking, Map<String, Object> extra) {
        Map<String, Object> props = properties(name, ranking);
        props.putAll(extra);
        return HandlerCandidate.of(props, STREAM, true, "test.bundle", Version.emptyVersion, HOME);
    }

    private HandlerCandidate datagram(String name, String... endpoints) {
        return candidate(name, 0, DATAGRAM, false, Version.emptyVersion, endpoints);
    }

    private HandlerCandidate candidate(String name, int ranking, Object factory, boolean stream, Version version, String... endpoints) {
        Map<String, Object> props = properties(name, ranking);
        if (endpoints.length > 0) {
            props.put(PortsideProperties.ENDPOINT, endpoints);
        }
        return HandlerCandidate.of(props, (io.portside.handler.api.RequestHandlerFactory<?>) factory, stream, "test.bundle", version, HOME);
    }

    private synchronized Map<String, Object> properties(String name, int ranking) {
        Map<String, Object> props = new HashMap<>();
        props.put(PortsideProperties.HANDLER, name);
        props.put(Constants.SERVICE_RANKING, ranking);
        props.put(Constants.SERVICE_ID, nextServiceId++);
        return props;
    }

    private synchronized PolicyCandidate policy(String name, int ranking) {
        return PolicyCandidate.of(Map.of(PortsideProperties.POLICY, name, Constants.SERVICE_RANKING, ranking, Constants.SERVICE_ID,
                nextServiceId++), ALLOW);
    }

    private static Map<String, Object> config(String name, String endpoint, String handler) {
        Map<String, Object> c = new HashMap<>();
        c.put("name", name);
        c.put("endpoint", endpoint);
        c.put("handler", handler);
        return c;
    }

    private static String key(String endpoint) {
        return Endpoint.parse(endpoint, HOME).text();
    }
}
