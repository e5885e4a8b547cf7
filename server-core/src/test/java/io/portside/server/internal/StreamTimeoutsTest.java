package io.portside.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.portside.handler.api.LineInputStream;
import io.portside.handler.api.Transport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The host's clock times blocked reads and writes out over real loopback sockets, TCP and Unix, without a selector each.
 * Isolated: it counts the process's descriptors and the clock's registrations, which tests running beside it would change.
 */
@Isolated
class StreamTimeoutsTest {

    enum Family { TCP, UNIX }

    @TempDir
    Path dir;
    private final List<AutoCloseable> open = new ArrayList<>();
    private final ScheduledExecutorService trickler = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void closeAll() throws Exception {
        trickler.shutdownNow();
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void theHandlersOwnTimeoutFailsTheReadAndClosesWithoutADescriptorOfItsOwn(Family family) throws Exception {
        long before = openDescriptors();
        List<ChannelStreamRequest> timed = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ChannelStreamRequest r = pair(family).server;
            r.setTimeout(Duration.ofMillis(200));
            timed.add(r);
        }
        // each pair is 2 sockets (3 for TCP's listener... the listener is shared); the old private selectors added 3 more each
        long perConnection = (openDescriptors() - before) / 20;
        assertTrue(perConnection <= 2, "a timed connection holds its sockets only, held " + perConnection + " descriptors each");
        ChannelStreamRequest r = timed.get(0);
        long start = System.nanoTime();
        SocketTimeoutException e = assertThrows(SocketTimeoutException.class, () -> r.inputStream().read(new byte[8]));
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(took >= 190 && took < 2000, "timed out after " + took + " ms");
        assertEquals("read timed out after PT0.2S", e.getMessage());
        assertEquals(StreamTimeout.HANDLER, r.timedOut());
        assertTrue(!r.isOpen(), "a timed-out connection is closed, as CPython's handler closes it after handle_error");
        assertThrows(SocketTimeoutException.class, () -> r.outputStream().write(1), "every later call says why");
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void aZeroTimeoutNeverWaitsAndStillSeesTheEnd(Family family) throws Exception {
        Pair p = pair(family);
        ChannelStreamRequest r = p.server;
        r.setTimeout(Duration.ZERO);
        assertThrows(SocketTimeoutException.class, () -> r.inputStream().read(new byte[8]));
        assertTrue(r.isOpen(), "Python's settimeout(0): the socket stays usable");
        send(p.client, "hi");
        byte[] b = new byte[8];
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        int n;
        while (true) { // polls, as a non-blocking handler does
            try {
                n = r.inputStream().read(b);
                break;
            } catch (SocketTimeoutException notYet) {
                assertTrue(System.nanoTime() < end, "the bytes never came");
                Thread.sleep(10);
            }
        }
        assertEquals("hi", new String(b, 0, n));
        p.client.close();
        while (true) {
            try {
                assertEquals(-1, r.inputStream().read(b), "the client's close reads as the end, not as a timeout");
                break;
            } catch (SocketTimeoutException notYet) {
                assertTrue(System.nanoTime() < end, "the end never came");
                Thread.sleep(10);
            }
        }
    }

    @Test
    void aForeverHandlerTimeoutKeepsTheHostsLimits() throws Exception {
        Pair p = pair(Family.TCP);
        p.server.setTimeout(Duration.ofMillis(Long.MAX_VALUE)); // "forever": overflows Duration.toNanos
        p.server.limits(new StreamLimits(Duration.ofMillis(300), Duration.ZERO, Duration.ZERO));
        SocketTimeoutException e = assertThrows(SocketTimeoutException.class, () -> p.server.inputStream().read(new byte[8]));
        assertEquals(StreamTimeout.IDLE, p.server.timedOut(), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void aClientTricklingBytesIntoALineIsIdle(Family family) throws Exception {
        Pair p = pair(family);
        p.server.limits(new StreamLimits(Duration.ofMillis(600), Duration.ZERO, Duration.ZERO));
        trickler.scheduleAtFixedRate(() -> send(p.client, "x"), 0, 100, TimeUnit.MILLISECONDS);
        LineInputStream rfile = new LineInputStream(p.server, 8192);
        long start = System.nanoTime();
        SocketTimeoutException e = assertThrows(SocketTimeoutException.class, () -> rfile.readLine(65536));
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(took >= 590 && took < 2500, "closed after " + took + " ms although bytes kept coming");
        assertTrue(e.getMessage().startsWith("idle timeout:") && e.getMessage().contains("600 ms (idle.timeout)"), e.getMessage());
        assertEquals(StreamTimeout.IDLE, p.server.timedOut());
    }

    @Test
    void aClientSendingAShortLineNowAndThenIsNotIdle() throws Exception {
        Pair p = pair(Family.TCP);
        p.server.limits(new StreamLimits(Duration.ofMillis(1500), Duration.ZERO, Duration.ZERO));
        trickler.scheduleAtFixedRate(() -> send(p.client, "ping\n"), 0, 300, TimeUnit.MILLISECONDS);
        LineInputStream rfile = new LineInputStream(p.server, 8192);
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(4000);
        int lines = 0;
        while (System.nanoTime() < end) {
            assertEquals("ping\n", new String(rfile.readLine(65536)));
            lines++;
        }
        assertTrue(lines >= 5, lines + " lines");
        assertNull(p.server.timedOut(), "one wait is 300 ms, under the 1.5 s limit, however long the connection lasts");
    }

    @Test
    void aRawReadIsBoundedOnItsOwn() throws Exception {
        Pair p = pair(Family.TCP);
        p.server.limits(new StreamLimits(Duration.ofMillis(1000), Duration.ZERO, Duration.ZERO));
        trickler.scheduleAtFixedRate(() -> send(p.client, "x"), 0, 200, TimeUnit.MILLISECONDS);
        byte[] b = new byte[16];
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(3000);
        while (System.nanoTime() < end) {
            assertTrue(p.server.inputStream().read(b) > 0);
        }
        assertNull(p.server.timedOut(), "a handler reading the socket itself gets one bound per read");
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void aClientThatNeverSendsMeetsTheFirstByteBound(Family family) throws Exception {
        Pair p = pair(family);
        p.server.limits(new StreamLimits(Duration.ofSeconds(30), Duration.ofMillis(400), Duration.ZERO));
        long start = System.nanoTime();
        SocketTimeoutException e = assertThrows(SocketTimeoutException.class, () -> p.server.inputStream().read(new byte[8]));
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(took >= 390 && took < 2500, "closed after " + took + " ms");
        assertTrue(e.getMessage().startsWith("first-byte timeout:"), e.getMessage());
        assertEquals(StreamTimeout.FIRST_BYTE, p.server.timedOut());
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void aClientThatNeverReadsMeetsTheWriteBoundOnAVirtualThreadToo(Family family) throws Exception {
        Pair p = pair(family);
        p.server.limits(new StreamLimits(Duration.ZERO, Duration.ZERO, Duration.ofMillis(400)));
        OutputStream out = p.server.outputStream();
        Throwable[] failure = new Throwable[1];
        long start = System.nanoTime();
        Thread writer = Thread.ofVirtual().start(() -> {
            try {
                byte[] chunk = new byte[64 * 1024];
                for (int i = 0; i < 1024; i++) { // 64 MB: far more than the socket buffers hold
                    out.write(chunk);
                }
            } catch (Throwable t) {
                failure[0] = t;
            }
        });
        writer.join(10_000);
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(failure[0] instanceof SocketTimeoutException, String.valueOf(failure[0]));
        assertTrue(failure[0].getMessage().startsWith("write timeout:"), failure[0].getMessage());
        assertTrue(took >= 390 && took < 5000, "closed after " + took + " ms");
        assertEquals(StreamTimeout.WRITE, p.server.timedOut());
    }

    @Test
    void aClosedConnectionIsNoLongerWatched() throws Exception {
        int before = HostClock.shared().size();
        Pair p = pair(Family.TCP);
        p.server.limits(new StreamLimits(Duration.ofSeconds(30), Duration.ZERO, Duration.ZERO));
        assertEquals(before + 1, HostClock.shared().size());
        p.server.close();
        assertEquals(before, HostClock.shared().size());
    }

    // ------------------------------------------------------------------ helpers

    private record Pair(ChannelStreamRequest server, SocketChannel client) {
    }

    private Pair pair(Family family) throws IOException {
        ServerSocketChannel listener;
        SocketChannel client;
        if (family == Family.TCP) {
            listener = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
            client = SocketChannel.open(listener.getLocalAddress());
        } else {
            Path path = Files.createTempFile(dir, "s", ".sock");
            Files.delete(path);
            listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(UnixDomainSocketAddress.of(path));
            client = SocketChannel.open(listener.getLocalAddress());
        }
        SocketChannel accepted = listener.accept();
        listener.close();
        ChannelStreamRequest server = new ChannelStreamRequest(accepted, family == Family.TCP ? Transport.TCP : Transport.UNIX_STREAM);
        open.add(client);
        open.add(server);
        return new Pair(server, client);
    }

    private static void send(SocketChannel client, String text) {
        try {
            client.write(ByteBuffer.wrap(text.getBytes()));
        } catch (IOException e) {
            // the server closed it: the test asserts on its side
        }
    }

    private static long openDescriptors() throws IOException {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }
}
