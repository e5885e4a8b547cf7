package io.portside.server.host.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Constants;
import org.osgi.framework.Version;

import io.portside.handler.api.PolicyDecision;
import io.portside.handler.api.PortsideProperties;
import io.portside.handler.api.StreamHandlerFactory;
import io.portside.handler.api.StreamRequestHandler;
import io.portside.server.TcpServer;
import io.portside.server.concurrency.ConcurrencyModel;
import io.portside.server.metrics.internal.Refusal;

/**
 * The connection limit in the admission stage, on real loopback sockets without OSGi: over {@code max.connections} a
 * client reads EOF at once and is counted as rejected; a slot is released exactly once whichever stage ends the
 * connection (the handler, a policy, a model that refuses or fails); the limit changes in place.
 */
class ConnectionLimitTest {

    private volatile ListenerSpec spec = spec("2");
    private final ListenerCounters counters = new ListenerCounters();
    private final Admission admission = new Admission(() -> spec, counters);
    private final RevisionRouting routing = new RevisionRouting();
    private final CountDownLatch finish = new CountDownLatch(1);
    private final AtomicInteger served = new AtomicInteger();
    private final List<Socket> clients = new ArrayList<>();
    private TcpServer server;
    private Thread serving;

    private static ListenerSpec spec(String maxConnections) {
        return ListenerSpecs.explicit("io.portside.listener~limited",
                Map.of("endpoint", "tcp://127.0.0.1:0", "handler", "echo", "max.connections", maxConnections), Path.of("/tmp"));
    }

    @AfterEach
    void stop() throws Exception {
        finish.countDown();
        for (Socket s : clients) {
            s.close();
        }
        if (server != null) {
            server.serverClose();
            serving.join(5000);
        }
    }

    /** Serves with a handler that says "hi" and then holds the connection until the test ends. */
    private void serve(HostedConcurrency concurrency) throws Exception {
        StreamHandlerFactory holding = () -> new StreamRequestHandler() {
            @Override
            protected void handle() throws IOException, InterruptedException {
                served.incrementAndGet();
                wfile.write("hi\n".getBytes());
                wfile.flush();
                finish.await(20, TimeUnit.SECONDS);
            }
        };
        Map<String, Object> props = new HashMap<>();
        props.put(PortsideProperties.HANDLER, "echo");
        props.put(Constants.SERVICE_ID, 1L);
        routing.activate(HandlerCandidate.of(props, holding, true, "b", Version.emptyVersion, Path.of("/tmp")));
        ConnectionPipeline pipeline = new ConnectionPipeline(() -> spec, admission, routing, counters, concurrency, new ListenerTls());
        server = new TcpServer(new InetSocketAddress("127.0.0.1", 0), pipeline::process, true);
        serving = Thread.ofPlatform().daemon().start(() -> {
            while (!server.isClosed()) {
                try {
                    server.serveForever(Duration.ofMillis(50));
                } catch (Throwable ignored) {
                    // as Listener.serve: the loop goes on
                }
            }
        });
    }

    /** A client that stays connected; what it reads first: "data" or "EOF" (or "no end" if nothing within 3 s). */
    private String connect() throws Exception {
        Socket s = new Socket();
        clients.add(s);
        s.connect(server.serverAddress(), 2000);
        s.setSoTimeout(3000);
        try {
            InputStream in = s.getInputStream();
            return in.read() < 0 ? "EOF" : "data";
        } catch (SocketTimeoutException e) {
            return "no end";
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting until " + what);
            Thread.sleep(10);
        }
    }

    @Test
    void overTheLimitAClientReadsEofAtOnceAndIsCountedAsRejected() throws Exception {
        serve(new InProcessConcurrency(ConcurrencyModel.threading()));
        assertEquals("data", connect());
        assertEquals("data", connect());
        long start = System.nanoTime();
        assertEquals("EOF", connect());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(1), "closed at once, not left in the backlog");
        assertEquals("EOF", connect());
        assertEquals(2, counters.rejected());
        assertEquals(2, counters.refusals().get(Refusal.CONNECTION_LIMIT), "counted by reason, for the metrics");
        assertEquals(2, served.get(), "the handler never saw the rejected ones");
        await(() -> admission.openConnections() == 2, "the rejected connections' slots are back");
    }

    @Test
    void aSlotIsReleasedExactlyOnceWhenTheConnectionEnds() throws Exception {
        serve(new InProcessConcurrency(ConcurrencyModel.threading()));
        assertEquals("data", connect());
        assertEquals("data", connect());
        assertEquals("EOF", connect());
        finish.countDown(); // both handlers return: their connections end
        await(() -> admission.openConnections() == 0, "every slot is back");
        Socket again = new Socket();
        clients.add(again);
        again.connect(server.serverAddress(), 2000);
        again.setSoTimeout(3000);
        assertEquals('h', again.getInputStream().read(), "served again once slots are free");
        again.close();
        await(() -> admission.openConnections() == 0, "no slot counted twice or leaked");
    }

    @Test
    void aPolicyRejectionReleasesTheSlotItWasGiven() throws Exception {
        admission.update(new PolicyChain(true, List.of(new PolicyChain.NamedPolicy("no", r -> PolicyDecision.reject("no"))), List.of()),
                Duration.ZERO, Set.of("no"));
        serve(new InProcessConcurrency(ConcurrencyModel.threading()));
        for (int i = 0; i < 5; i++) {
            assertEquals("EOF", connect());
        }
        assertEquals(5, counters.rejected(), "each by the policy: the limit of 2 was never reached");
        assertEquals(5, counters.refusals().get(Refusal.POLICY));
        assertEquals(0, counters.refusals().get(Refusal.CONNECTION_LIMIT));
        await(() -> admission.openConnections() == 0, "every slot is back");
    }

    @Test
    void aModelThatRefusesOrFailsReleasesTheSlot() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        serve(new HostedConcurrency() {
            @Override
            public void dispatch(Connection c) {
                if (calls.incrementAndGet() % 2 == 1) {
                    throw new RejectedExecutionException("full");
                }
                throw new IllegalStateException("a broken model");
            }

            @Override
            public int activeCount() {
                return 0;
            }

            @Override
            public void close() {
            }
        });
        for (int i = 0; i < 6; i++) {
            assertEquals("EOF", connect());
        }
        assertEquals(3, counters.rejected(), "refused by the model, never by the limit");
        assertEquals(3, counters.refusals().get(Refusal.MODEL_FULL));
        assertEquals(3, counters.errors());
        await(() -> admission.openConnections() == 0, "every slot is back");
    }

    @Test
    void theLimitChangesInPlace() throws Exception {
        serve(new InProcessConcurrency(ConcurrencyModel.threading()));
        assertEquals("data", connect());
        assertEquals("data", connect());
        assertEquals("EOF", connect());
        spec = spec("3");
        assertEquals("data", connect(), "raised: one more fits");
        assertEquals("EOF", connect());
        spec = spec("0");
        assertEquals("data", connect(), "0: no limit");
        spec = spec("1");
        assertEquals("EOF", connect(), "lowered under what is open: new connections wait for slots, open ones run on");
        assertEquals(4, served.get());
    }
}
