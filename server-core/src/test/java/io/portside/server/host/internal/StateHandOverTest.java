package io.portside.server.host.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Constants;
import org.osgi.framework.Version;

import io.portside.handler.api.PortsideProperties;
import io.portside.handler.api.StreamHandlerFactory;
import io.portside.handler.api.StreamRequestHandler;
import io.portside.handler.api.SwapState;
import io.portside.server.host.internal.StateHandOver.Outcome;

/** {@link StateHandOver} as {@link RevisionRouting} uses it: order of the calls, which revisions, failures. */
class StateHandOverTest {

    private static final AtomicLong IDS = new AtomicLong(1);
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final RevisionRouting routing = new RevisionRouting(new StateHandOver(() -> "kv", Duration.ofMillis(300)));

    /** A handler revision with a map as its state, recording the calls it gets. */
    private class Revision implements StreamHandlerFactory, SwapState<Map<String, String>> {
        final String label;
        Map<String, String> state = new ConcurrentHashMap<>();
        RuntimeException handOverFails;
        RuntimeException takeOverFails;
        CountDownLatch handOverHangs;
        HandlerRevision activeDuringTakeOver;

        Revision(String label) {
            this.label = label;
        }

        @Override
        public StreamRequestHandler newHandler() {
            return null;
        }

        @Override
        public Map<String, String> handOverState() {
            calls.add("handOver " + label);
            if (handOverHangs != null) {
                try {
                    handOverHangs.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (handOverFails != null) {
                throw handOverFails;
            }
            return state;
        }

        @Override
        @SuppressWarnings("unchecked")
        public void takeOverState(Object predecessorState) {
            calls.add("takeOver " + label);
            activeDuringTakeOver = routing.active();
            if (takeOverFails != null) {
                throw takeOverFails;
            }
            state = (Map<String, String>) predecessorState;
        }
    }

    private static HandlerCandidate candidate(String name, StreamHandlerFactory factory) {
        Map<String, Object> props = Map.of(Constants.SERVICE_ID, IDS.getAndIncrement(), PortsideProperties.HANDLER, name,
                PortsideProperties.ENDPOINT, "tcp://127.0.0.1:9996");
        return HandlerCandidate.of(props, factory, true, "b", Version.emptyVersion, Path.of("/tmp"));
    }

    @Test
    void aFirstRevisionGetsNothing() {
        Revision v1 = new Revision("v1");
        routing.activate(candidate("kv", v1));
        assertEquals(List.of(), calls);
        assertEquals(Outcome.NOT_APPLICABLE, routing.lastHandOver());
    }

    @Test
    void aSwapHandsTheLiveStateOverBeforeTheNewRevisionIsActive() {
        Revision v1 = new Revision("v1");
        Revision v2 = new Revision("v2");
        routing.activate(candidate("kv", v1));
        HandlerRevision first = routing.active();
        routing.activate(candidate("kv", v2));
        assertEquals(List.of("handOver v1", "takeOver v2"), calls);
        assertSame(v1.state, v2.state, "the very same object, which v1's draining connections keep writing");
        assertSame(first, v2.activeDuringTakeOver, "v2 was not yet given connections");
        assertEquals(Outcome.HANDED_OVER, routing.lastHandOver());
    }

    @Test
    void aBundleUpdateHandsOverAcrossTheGap() {
        Revision v1 = new Revision("v1");
        Revision v2 = new Revision("v2");
        routing.activate(candidate("kv", v1));
        routing.enterGap(); // Bundle.update stops v1 before v2 starts
        routing.enterGap(); // a second pass in the gap forgets nothing
        routing.activate(candidate("kv", v2));
        assertEquals(List.of("handOver v1", "takeOver v2"), calls);
        assertSame(v1.state, v2.state);
        assertNull(v2.activeDuringTakeOver, "still in the gap while v2 takes over");
    }

    @Test
    void theRevisionBeforeTheGapIsForgottenOnceItsSuccessorTookOver() {
        Revision v1 = new Revision("v1");
        Revision v2 = new Revision("v2");
        Revision v3 = new Revision("v3");
        routing.activate(candidate("kv", v1));
        routing.enterGap();
        routing.activate(candidate("kv", v2));
        routing.activate(candidate("kv", v3));
        assertEquals(List.of("handOver v1", "takeOver v2", "handOver v2", "takeOver v3"), calls);
    }

    @Test
    void theSameServiceActiveAgainAfterTheGapIsNoHandOver() {
        Revision v1 = new Revision("v1");
        HandlerCandidate c = candidate("kv", v1);
        routing.activate(c);
        routing.enterGap();
        routing.activate(c);
        assertEquals(List.of(), calls);
    }

    @Test
    void stateStaysWithinOneHandlerName() {
        routing.activate(candidate("kv", new Revision("v1")));
        routing.activate(candidate("other", new Revision("v2")));
        assertEquals(List.of(), calls);
        assertEquals(Outcome.NOT_APPLICABLE, routing.lastHandOver());
    }

    @Test
    void bothSidesMustImplementIt() {
        routing.activate(candidate("kv", () -> null));
        routing.activate(candidate("kv", new Revision("v2")));
        routing.activate(candidate("kv", () -> null));
        assertEquals(List.of(), calls);
    }

    @Test
    void aFailingHandOverLeavesTheNewRevisionEmptyAndActive() {
        Revision v1 = new Revision("v1");
        v1.handOverFails = new IllegalStateException("boom");
        Revision v2 = new Revision("v2");
        Map<String, String> own = v2.state;
        routing.activate(candidate("kv", v1));
        HandlerCandidate next = candidate("kv", v2);
        routing.activate(next);
        assertEquals(List.of("handOver v1"), calls);
        assertEquals(Outcome.HAND_OVER_FAILED, routing.lastHandOver());
        assertSame(own, v2.state);
        assertSame(next, routing.active().candidate());
    }

    @Test
    void aFailingTakeOverStillActivatesTheNewRevision() {
        Revision v2 = new Revision("v2");
        v2.takeOverFails = new IllegalArgumentException("not a map of strings");
        routing.activate(candidate("kv", new Revision("v1")));
        HandlerCandidate next = candidate("kv", v2);
        routing.activate(next);
        assertEquals(List.of("handOver v1", "takeOver v2"), calls);
        assertEquals(Outcome.TAKE_OVER_FAILED, routing.lastHandOver());
        assertSame(next, routing.active().candidate());
    }

    @Test
    void anErrorThrownByTheHandlerIsAFailureToo() {
        Revision v1 = new Revision("v1");
        routing.activate(candidate("kv", v1));
        Revision v2 = new Revision("v2") {
            @Override
            public void takeOverState(Object predecessorState) {
                throw new NoClassDefFoundError("io/portside/sample/kv/Old");
            }
        };
        routing.activate(candidate("kv", v2));
        assertEquals(Outcome.TAKE_OVER_FAILED, routing.lastHandOver());
    }

    @Test
    void aHangingHandOverDoesNotHoldUpTheSwap() {
        Revision v1 = new Revision("v1");
        v1.handOverHangs = new CountDownLatch(1);
        routing.activate(candidate("kv", v1));
        HandlerCandidate next = candidate("kv", new Revision("v2"));
        long start = System.nanoTime();
        routing.activate(next);
        long millis = (System.nanoTime() - start) / 1_000_000;
        v1.handOverHangs.countDown();
        assertEquals(Outcome.TIMED_OUT, routing.lastHandOver());
        assertSame(next, routing.active().candidate());
        assertTrue(millis < 3000, "held up " + millis + " ms");
    }
}
