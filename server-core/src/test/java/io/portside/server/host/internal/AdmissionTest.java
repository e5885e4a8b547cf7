package io.portside.server.host.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.portside.handler.api.DatagramRequest;
import io.portside.handler.api.PolicyDecision;
import io.portside.handler.api.RequestPolicy;
import io.portside.server.AcceptedRequest;
import io.portside.server.UdpServer;

/**
 * The admission stage on its own: policies judge each connection, a policy's hold is released once, and a policy being
 * replaced defers the judgement instead of failing open or refusing everyone. Connections are real: each is a datagram
 * taken by a real UDP server on loopback with a processor that only collects them.
 */
class AdmissionTest {

    private final LinkedBlockingQueue<AcceptedRequest<DatagramRequest>> taken = new LinkedBlockingQueue<>();
    private final ListenerCounters counters = new ListenerCounters();
    private final ListenerSpec spec = ListenerSpecs.explicit("io.portside.listener~adm",
            Map.of("endpoint", "udp://127.0.0.1:0", "handler", "echo"), Path.of("/tmp"));
    private final Admission admission = new Admission(() -> spec, counters);
    private UdpServer server;
    private Thread serving;

    @BeforeEach
    void start() throws Exception {
        server = new UdpServer(new InetSocketAddress("127.0.0.1", 0), taken::add, true);
        serving = Thread.ofVirtual().start(() -> {
            try {
                server.serveForever(Duration.ofMillis(50));
            } catch (Exception ignored) {
                // closed
            }
        });
    }

    @AfterEach
    void stop() throws InterruptedException {
        server.serverClose();
        serving.join(5000);
    }

    private Connection connection() throws Exception {
        try (DatagramSocket client = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            client.send(new DatagramPacket(new byte[] {1}, 1, server.serverAddress()));
        }
        AcceptedRequest<DatagramRequest> accepted = taken.poll(10, TimeUnit.SECONDS);
        return new Connection(accepted, null, System.nanoTime());
    }

    private static PolicyChain chainOf(String name, RequestPolicy policy) {
        return new PolicyChain(true, List.of(new PolicyChain.NamedPolicy(name, policy)), List.of());
    }

    @Test
    void withoutPoliciesEveryConnectionIsAdmitted() throws Exception {
        assertTrue(admission.atAccept(connection(), false));
        assertEquals(0, counters.rejected());
    }

    @Test
    void aRejectionIsCountedAndAnAcceptanceHoldsItsReleaseUntilTheEnd() throws Exception {
        AtomicInteger released = new AtomicInteger();
        AtomicInteger calls = new AtomicInteger();
        admission.update(chainOf("odd", r -> calls.incrementAndGet() % 2 == 1 ? PolicyDecision.accept(released::incrementAndGet)
                : PolicyDecision.reject("even")), Duration.ofSeconds(1), Set.of("odd"));
        Connection first = connection();
        assertTrue(admission.atAccept(first, false));
        assertFalse(admission.atAccept(connection(), false));
        assertEquals(1, counters.rejected());
        assertEquals(0, released.get(), "held while the connection runs");
        admission.release(first);
        admission.release(first);
        assertEquals(1, released.get(), "released exactly once");
    }

    @Test
    void aPolicyThatThrowsRejects() throws Exception {
        admission.update(chainOf("broken", r -> {
            throw new IllegalStateException("boom");
        }), Duration.ofSeconds(1), Set.of("broken"));
        assertFalse(admission.atAccept(connection(), false));
        assertEquals(1, counters.rejected());
    }

    @Test
    void aRequiredPolicyThatIsMissingRejectsEveryone() throws Exception {
        admission.update(new PolicyChain(true, List.of(), List.of("office")), Duration.ZERO, Set.of());
        assertFalse(admission.atAccept(connection(), false));
    }

    @Test
    void whileAPolicyIsReplacedConnectionsAreJudgedByItsReplacement() throws Exception {
        admission.update(chainOf("gate", r -> PolicyDecision.accept()), Duration.ofSeconds(10), Set.of("gate"));
        List<String> opened = admission.update(PolicyChain.NONE, Duration.ofSeconds(10), Set.of()); // its bundle is updating
        assertEquals(List.of("gate"), opened);
        Connection meanwhile = connection();
        assertTrue(admission.atAccept(meanwhile, false), "not refused at accept");
        assertTrue(meanwhile.admissionDeferred(), "not let through either: judged later");
        CompletableFuture<Boolean> verdict = CompletableFuture.supplyAsync(() -> admission.deferred(meanwhile));
        Thread.sleep(200);
        assertFalse(verdict.isDone(), "waits for the replacement");
        admission.update(chainOf("gate", r -> PolicyDecision.reject("the new version refuses")), Duration.ofSeconds(10), Set.of("gate"));
        assertFalse(verdict.get(10, TimeUnit.SECONDS), "judged by the replacement");
        assertEquals(1, counters.rejected());
    }

    @Test
    void aGapThatRunsOutJudgesByWhatIsLeft() throws Exception {
        admission.update(chainOf("gate", r -> PolicyDecision.reject("no")), Duration.ofMillis(300), Set.of("gate"));
        admission.update(PolicyChain.NONE, Duration.ofMillis(300), Set.of());
        Connection meanwhile = connection();
        assertTrue(admission.atAccept(meanwhile, false));
        long start = System.nanoTime();
        assertTrue(admission.deferred(meanwhile), "the configuration no longer names a policy once the gap is over");
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(200), "waited for the gap");
    }

    @Test
    void aConnectionJudgedAtAcceptIsNotJudgedAgain() throws Exception {
        List<Object> judged = new ArrayList<>();
        admission.update(chainOf("gate", r -> {
            judged.add(r.clientAddress());
            return PolicyDecision.accept();
        }), Duration.ofSeconds(1), Set.of("gate"));
        Connection c = connection();
        assertTrue(admission.atAccept(c, false));
        assertTrue(admission.deferred(c));
        assertEquals(1, judged.size());
    }

    @Test
    void onATlsListenerThePoliciesJudgeAfterTheHandshakeNotAtAccept() throws Exception {
        List<Object> judged = new ArrayList<>();
        admission.update(chainOf("gate", r -> {
            judged.add(r.tls());
            return PolicyDecision.reject("no certificate");
        }), Duration.ofSeconds(1), Set.of("gate"));
        Connection c = connection();
        assertTrue(admission.atAccept(c, true), "not judged at accept: its certificate is not known yet");
        assertEquals(0, judged.size());
        assertFalse(admission.deferred(c), "judged once the handshake is done");
        assertEquals(List.of(java.util.Optional.empty()), judged, "what the policy was told of the TLS session");
        assertEquals(1, counters.rejected());
    }

    @Test
    void onATlsListenerWithoutPoliciesNothingIsDeferred() throws Exception {
        Connection c = connection();
        assertTrue(admission.atAccept(c, true));
        assertFalse(c.admissionDeferred());
    }
}
