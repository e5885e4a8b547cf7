package io.portside.server.host.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Constants;
import org.osgi.framework.Version;

import io.portside.handler.api.DatagramHandlerFactory;
import io.portside.handler.api.DatagramRequestHandler;
import io.portside.handler.api.PolicyDecision;
import io.portside.handler.api.PortsideProperties;
import io.portside.handler.api.RequestPolicy;
import io.portside.handler.api.StreamHandlerFactory;
import io.portside.handler.api.StreamRequestHandler;
import io.portside.server.BaseServer;
import io.portside.server.TcpServer;
import io.portside.server.UdpServer;
import io.portside.server.concurrency.ConcurrencyModel;

/**
 * The connection pipeline on real loopback sockets, without OSGi: whatever fails before or inside a handler, every
 * connection ends exactly once, what policies hold is released, the counters say what happened, and the serve loop
 * goes on. (Found by a review of the pipeline; each case left the connection open or miscounted before its fix.)
 */
class ConnectionPipelineTest {

    private final ListenerSpec spec = ListenerSpecs.explicit("io.portside.listener~pipe",
            Map.of("endpoint", "tcp://127.0.0.1:0", "handler", "echo"), Path.of("/tmp"));
    private final ListenerCounters counters = new ListenerCounters();
    private final Admission admission = new Admission(() -> spec, counters);
    private final RevisionRouting routing = new RevisionRouting();
    private final List<Throwable> loopFailures = new CopyOnWriteArrayList<>();
    private BaseServer<?> server;
    private Thread serving;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.serverClose();
            serving.join(5000);
        }
    }

    private static HandlerCandidate candidate(io.portside.handler.api.RequestHandlerFactory<?> factory, boolean stream) {
        Map<String, Object> props = new HashMap<>();
        props.put(PortsideProperties.HANDLER, "echo");
        props.put(Constants.SERVICE_ID, 1L);
        return HandlerCandidate.of(props, factory, stream, "b", Version.emptyVersion, Path.of("/tmp"));
    }

    private void serve(BaseServer<?> s) {
        server = s;
        serving = Thread.ofPlatform().daemon().start(() -> {
            while (!s.isClosed()) { // as Listener.serve does
                try {
                    s.serveForever(Duration.ofMillis(50));
                } catch (Throwable t) {
                    loopFailures.add(t);
                }
            }
        });
    }

    private void tcp(HostedConcurrency concurrency) throws Exception {
        StreamHandlerFactory hi = () -> new StreamRequestHandler() {
            @Override
            protected void handle() throws IOException {
                wfile.write("hi\n".getBytes());
            }
        };
        routing.activate(candidate(hi, true));
        ConnectionPipeline pipeline = new ConnectionPipeline(() -> spec, admission, routing, counters, concurrency, new ListenerTls());
        serve(new TcpServer(new InetSocketAddress("127.0.0.1", 0), pipeline::process, true));
    }

    private void policies(RequestPolicy... ps) {
        List<PolicyChain.NamedPolicy> named = new ArrayList<>();
        for (int i = 0; i < ps.length; i++) {
            named.add(new PolicyChain.NamedPolicy("p" + i, ps[i]));
        }
        admission.update(new PolicyChain(true, named, List.of()), Duration.ZERO, Set.of("p0", "p1"));
    }

    /** What a client sees: "EOF", "data", or "no end" (the connection was left open). */
    private String clientSees() throws Exception {
        try (Socket s = new Socket()) {
            s.connect(server.serverAddress(), 2000);
            s.setSoTimeout(3000);
            InputStream in = s.getInputStream();
            return in.read() < 0 ? "EOF" : "data";
        } catch (SocketTimeoutException e) {
            return "no end";
        }
    }

    @Test
    void anErrorFromAPolicyRejectsReleasesTheEarlierHoldAndKeepsServing() throws Exception {
        AtomicInteger released = new AtomicInteger();
        policies(r -> PolicyDecision.accept(released::incrementAndGet), r -> {
            throw new NoClassDefFoundError("its bundle is being refreshed");
        });
        tcp(new InProcessConcurrency(ConcurrencyModel.synchronous()));
        assertEquals("EOF", clientSees());
        assertEquals("EOF", clientSees(), "the serve loop is still taking connections");
        assertEquals(2, released.get(), "the first policy's hold is released for each rejected connection");
        assertEquals(2, counters.rejected());
        assertEquals(List.of(), loopFailures);
    }

    @Test
    void aReleaseThatThrowsDoesNotLeaveARejectedConnectionOpen() throws Exception {
        policies(r -> PolicyDecision.accept(() -> {
            throw new IllegalStateException("release failed");
        }), r -> PolicyDecision.reject("no"));
        tcp(new InProcessConcurrency(ConcurrencyModel.threading()));
        assertEquals("EOF", clientSees());
        assertEquals(1, counters.rejected());
        assertEquals(List.of(), loopFailures);
    }

    @Test
    void aModelThatFailsUnexpectedlyEndsTheConnectionAndCountsAnError() throws Exception {
        tcp(new InProcessConcurrency(new ConcurrencyModel() {
            @Override
            public io.portside.handler.api.Concurrency kind() {
                return io.portside.handler.api.Concurrency.THREADING;
            }

            @Override
            public void dispatch(io.portside.server.concurrency.DispatchedRequest request) {
                throw new IllegalStateException("a broken model");
            }

            @Override
            public int activeCount() {
                return 0;
            }

            @Override
            public void close() {
            }
        }));
        assertEquals("EOF", clientSees());
        assertEquals("EOF", clientSees(), "the serve loop is still taking connections");
        assertEquals(2, counters.errors());
        assertEquals(List.of(), loopFailures);
    }

    @Test
    void aDatagramHandlersOwnFailureAfterTheListenerClosedIsStillAnError() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        DatagramHandlerFactory failing = () -> new DatagramRequestHandler() {
            @Override
            protected void handle() throws Exception {
                running.countDown();
                go.await();
                throw new IOException("the handler's own bug");
            }
        };
        routing.activate(candidate(failing, false));
        ConnectionPipeline pipeline = new ConnectionPipeline(() -> spec, admission, routing, counters,
                new InProcessConcurrency(ConcurrencyModel.threading()), new ListenerTls());
        UdpServer udp = new UdpServer(new InetSocketAddress("127.0.0.1", 0), pipeline::process, true);
        serve(udp);
        try (DatagramSocket client = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            client.send(new DatagramPacket(new byte[] {1}, 1, udp.serverAddress()));
        }
        assertTrue(running.await(10, TimeUnit.SECONDS));
        assertEquals(0, routing.closeAll(), "a datagram has nothing to close");
        go.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (counters.errors() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(1, counters.errors(), "not hidden as 'closed by the host'");
    }
}
