package io.portside.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import io.portside.handler.api.ProtocolTransport;
import io.portside.handler.api.StreamProtocol;

/**
 * What the host relies on in {@link ProtocolConnections}, over real loopback sockets: each way a connection ends is
 * reported once with its reason, the host's time limits close it (and the protocol is told which), and a shutdown from
 * another thread neither waits for a protocol stuck in a callback nor leaves its client connected.
 */
@Execution(ExecutionMode.CONCURRENT)
class ProtocolConnectionsTest {

    private ServerSocketChannel listening;
    private ProtocolConnections connections;
    private final AtomicReference<ProtocolEnd> how = new AtomicReference<>();
    private final AtomicReference<Exception> lost = new AtomicReference<>();
    private final CountDownLatch ended = new CountDownLatch(1);

    @BeforeEach
    void listen() throws IOException {
        listening = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        connections = new ProtocolConnections("test");
    }

    @AfterEach
    void close() throws IOException {
        connections.close();
        listening.close();
    }

    /** A protocol that records how its connection was lost; {@code onData} runs for each arrival. */
    private StreamProtocol recording(java.util.function.BiConsumer<ProtocolTransport, ByteBuffer> onData,
            java.util.function.Consumer<ProtocolTransport> onMade) {
        return new StreamProtocol() {
            ProtocolTransport t;

            @Override
            public void connectionMade(ProtocolTransport transport) {
                t = transport;
                onMade.accept(transport);
            }

            @Override
            public void dataReceived(ByteBuffer data) {
                onData.accept(t, data);
            }

            @Override
            public void connectionLost(Exception cause) {
                lost.set(cause);
            }
        };
    }

    /** Connects a client, accepts it and serves it with {@code protocol} under {@code limits}. */
    private Socket serve(StreamProtocol protocol, StreamLimits limits) throws IOException {
        Socket client = new Socket(InetAddress.getLoopbackAddress(), ((InetSocketAddress) listening.getLocalAddress()).getPort());
        client.setSoTimeout(10_000);
        SocketChannel accepted = listening.accept();
        connections.serve(accepted, null, () -> protocol, limits, System.nanoTime(), (c, h, failure) -> {
            how.set(h);
            ended.countDown();
        }, taken -> { });
        return client;
    }

    private static StreamLimits limits(int idleMillis, int firstByteMillis, int writeMillis) {
        return new StreamLimits(Duration.ofMillis(idleMillis), Duration.ofMillis(firstByteMillis), Duration.ofMillis(writeMillis));
    }

    @Test
    void theIdleTimeoutClosesASilentClientAndTellsTheProtocol() throws Exception {
        try (Socket client = serve(recording((t, d) -> t.write(d), t -> { }), limits(300, 0, 0))) {
            client.getOutputStream().write('a');
            assertEquals('a', client.getInputStream().read());
            assertEquals(-1, client.getInputStream().read(), "closed once silent for idle.timeout");
            assertTrue(ended.await(5, TimeUnit.SECONDS));
            assertEquals(ProtocolEnd.IDLE_TIMEOUT, how.get());
            assertInstanceOf(HostTimeoutException.class, lost.get());
            assertTrue(lost.get().getMessage().contains("idle.timeout") && lost.get().getMessage().contains("300 ms"), lost.get().getMessage());
        }
    }

    /** A protocol whose connectionLost throws after a time limit closed it: the limit stays what ended it (not an error). */
    @Test
    void aTimeLimitStaysTheReasonWhenConnectionLostThrows() throws Exception {
        StreamProtocol throwsOnLost = new StreamProtocol() {
            @Override
            public void dataReceived(ByteBuffer data) {
            }

            @Override
            public void connectionLost(Exception cause) {
                lost.set(cause);
                throw new IllegalStateException("thrown from connectionLost on purpose");
            }
        };
        try (Socket client = serve(throwsOnLost, limits(300, 0, 0))) {
            assertEquals(-1, client.getInputStream().read(), "closed once silent for idle.timeout");
            assertTrue(ended.await(5, TimeUnit.SECONDS));
            assertEquals(ProtocolEnd.IDLE_TIMEOUT, how.get());
            assertInstanceOf(HostTimeoutException.class, lost.get());
        }
    }

    @Test
    void pausedReadingIsNotTheClientsSilence() throws Exception {
        AtomicReference<ProtocolTransport> transport = new AtomicReference<>();
        try (Socket client = serve(recording((t, d) -> { }, t -> {
            transport.set(t);
            t.pauseReading();
        }), limits(200, 0, 0))) {
            Thread.sleep(700); // more than three idle.timeouts, all of them with reading paused by the protocol
            assertNull(how.get(), "still open");
            transport.get().resumeReading();
            assertTrue(ended.await(5, TimeUnit.SECONDS), "the clock runs again once reading resumed");
            assertEquals(ProtocolEnd.IDLE_TIMEOUT, how.get());
        }
    }

    @Test
    void theFirstByteTimeoutClosesAClientThatNeverSends() throws Exception {
        try (Socket client = serve(recording((t, d) -> { }, t -> { }), limits(0, 300, 0))) {
            assertEquals(-1, client.getInputStream().read());
            assertTrue(ended.await(5, TimeUnit.SECONDS));
            assertEquals(ProtocolEnd.FIRST_BYTE_TIMEOUT, how.get());
        }
    }

    @Test
    void theWriteTimeoutClosesAClientThatReadsNothing() throws Exception {
        byte[] big = new byte[512 * 1024]; // far more than the small socket buffers take: the rest waits in the transport
        try (Socket client = new Socket()) {
            client.setReceiveBufferSize(4096); // before connecting: the window the server sees stays small
            client.connect(listening.getLocalAddress());
            SocketChannel accepted = listening.accept();
            accepted.setOption(java.net.StandardSocketOptions.SO_SNDBUF, 4096);
            StreamProtocol writer = recording((t, d) -> { }, t -> t.write(big));
            connections.serve(accepted, null, () -> writer, limits(0, 0, 400), System.nanoTime(), (c, h, failure) -> {
                how.set(h);
                ended.countDown();
            }, taken -> { });
            assertTrue(ended.await(10, TimeUnit.SECONDS), "closed although the protocol never asked");
            assertEquals(ProtocolEnd.WRITE_TIMEOUT, how.get());
            assertTrue(lost.get().getMessage().contains("write.timeout"), lost.get().getMessage());
        }
    }

    @Test
    void aShutdownFromAnotherThreadDoesNotWaitForAStuckCallbackAndCutsTheClientOff() throws Exception {
        CountDownLatch inCallback = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ProtocolHandle[] handle = new ProtocolHandle[1];
        Socket client = new Socket(InetAddress.getLoopbackAddress(), ((InetSocketAddress) listening.getLocalAddress()).getPort());
        try (client) {
            client.setSoTimeout(10_000);
            StreamProtocol stuck = recording((t, d) -> {
                inCallback.countDown();
                try {
                    release.await(20, TimeUnit.SECONDS); // stuck, as a protocol must never be
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, t -> { });
            handle[0] = connections.serve(listening.accept(), null, () -> stuck, StreamLimits.NONE, System.nanoTime(), (c, h, failure) -> {
                how.set(h);
                ended.countDown();
            }, taken -> { });
            client.getOutputStream().write('x');
            assertTrue(inCallback.await(5, TimeUnit.SECONDS));
            CompletableFuture<Void> shutdown = CompletableFuture.runAsync(handle[0]::shutdown);
            shutdown.get(2, TimeUnit.SECONDS); // returns although the callback holds the connection
            assertEquals(-1, client.getInputStream().read(), "the client reads EOF at once");
            release.countDown();
            assertTrue(ended.await(5, TimeUnit.SECONDS), "the protocol is told once its callback returned");
            assertEquals(ProtocolEnd.SHUT_DOWN, how.get());
            assertNull(lost.get());
            assertEquals(0, connections.openConnections());
        } finally {
            release.countDown();
        }
    }

    @Test
    void aClientResetIsReportedAsGone() throws Exception {
        try (Socket client = serve(recording((t, d) -> t.write(d), t -> { }), StreamLimits.NONE)) {
            client.getOutputStream().write('r');
            assertEquals('r', client.getInputStream().read());
            client.setSoLinger(true, 0);
            client.close(); // RST
            assertTrue(ended.await(5, TimeUnit.SECONDS));
            assertTrue(how.get() == ProtocolEnd.CLIENT_GONE || how.get() == ProtocolEnd.CLOSED, String.valueOf(how.get()));
        }
    }

    @Test
    void everyByteIsCounted() throws Exception {
        ProtocolHandle[] handle = new ProtocolHandle[1];
        try (Socket client = new Socket(InetAddress.getLoopbackAddress(),
                ((InetSocketAddress) listening.getLocalAddress()).getPort())) {
            StreamProtocol echo = recording((t, d) -> t.write(d), t -> { });
            handle[0] = connections.serve(listening.accept(), null, () -> echo, StreamLimits.NONE, System.nanoTime(),
                    (c, h, failure) -> ended.countDown(), taken -> { });
            client.getOutputStream().write(new byte[10_000]);
            client.getInputStream().readNBytes(10_000);
            client.shutdownOutput();
            assertEquals(-1, client.getInputStream().read());
            assertTrue(ended.await(5, TimeUnit.SECONDS));
            assertEquals(10_000, handle[0].bytesIn());
            assertEquals(10_000, handle[0].bytesOut());
        }
    }
}
