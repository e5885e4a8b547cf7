package io.portside.server.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.portside.handler.api.Transport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A connection served on a virtual thread waits on Portside's readiness loop (its socket registered once, read by the
 * loop), over real loopback sockets, TCP and Unix: what arrives is delivered whole and in order, a wait ends at a time
 * limit, a close, an interrupt or the client's end, the loop holds at most its inbox's worth of a client's bytes, and a
 * closed connection gives its descriptor back at once. Isolated: it counts the process's descriptors.
 */
@Isolated
class LoopedStreamTest {

    enum Family { TCP, UNIX }

    @TempDir
    Path dir;
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void aReadThatWaitsOnAVirtualThreadIsServedByTheLoopAndEveryRequestIsAnswered(Family family) throws Exception {
        Pair p = pair(family);
        CompletableFuture<Integer> echoed = onVirtual(() -> echo(p.server, 64));
        int sent = 0;
        for (int i = 0; i < 500; i++) {
            byte[] request = ("request " + i + "\n").getBytes();
            sent += request.length;
            p.client.write(ByteBuffer.wrap(request));
            assertArrayEquals(request, readExactly(p.client, request.length), "reply " + i);
        }
        assertFalse(p.server.channel().isBlocking(), "the socket was handed to the loop (non-blocking, registered)");
        assertTrue(p.server.channel().isRegistered(), "registered with the loop once, for good");
        p.client.shutdownOutput();
        assertEquals(sent, echoed.get(10, TimeUnit.SECONDS),
                "the handler saw the client's end after every byte it sent");
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void aMegabyteEachWayArrivesWholeAndInOrderThroughTheLoopsBoundedInbox(Family family) throws Exception {
        Pair p = pair(family);
        byte[] data = new byte[4 << 20];
        new Random(7).nextBytes(data);
        CompletableFuture<Integer> echoed = onVirtual(() -> echo(p.server, 8192));
        CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
            try {
                p.client.write(ByteBuffer.wrap(data));
                p.client.shutdownOutput();
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        byte[] back = readExactly(p.client, data.length);
        sent.get(30, TimeUnit.SECONDS);
        assertEquals(data.length, echoed.get(30, TimeUnit.SECONDS));
        assertArrayEquals(data, back, "echoed whole and in order");
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void aClientThatSendsMoreThanTheHandlerReadsIsHeldToTheInboxLimitNotTheProcessMemory(Family family) throws Exception {
        Pair p = looped(family);
        p.client.configureBlocking(false);
        long sent = 0;
        byte[] chunk = new byte[64 * 1024];
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < until) { // until the kernel's buffers are full: the loop has stopped reading
            int n = p.client.write(ByteBuffer.wrap(chunk));
            sent += n;
            if (n == 0) {
                Thread.sleep(50);
                if (p.client.write(ByteBuffer.wrap(chunk)) == 0) {
                    break;
                }
            }
        }
        assertTrue(sent > 2 * LoopedChannel.INBOX_LIMIT, "the client could send " + sent + " bytes");
        assertTrue(p.server.heldByLoop() <= LoopedChannel.INBOX_LIMIT,
                "the loop took no more than its inbox holds: " + p.server.heldByLoop());
        // draining it resumes the loop: every byte comes, in order of arrival
        p.client.configureBlocking(true);
        long want = sent;
        long total = onVirtual(() -> drain(p.server.inputStream(), want)).get(30, TimeUnit.SECONDS);
        assertEquals(want, total);
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void theHandlersTimeoutEndsAWaitOnTheLoopAndTheDescriptorIsGivenBack(Family family) throws Exception {
        long before = openDescriptors();
        Pair p = looped(family);
        p.server.setTimeout(Duration.ofMillis(200));
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> onVirtual(() -> p.server.inputStream().read(new byte[8])).get(10, TimeUnit.SECONDS));
        assertInstanceOf(SocketTimeoutException.class, e.getCause());
        assertEquals("read timed out after PT0.2S", e.getCause().getMessage());
        assertFalse(p.server.isOpen());
        assertEquals(-1, readWithin(p.client, 5000), "the client sees the end at once");
        p.client.close();
        awaitDescriptors(before);
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void aWriteLimitEndsAWriteThatWaitsOnTheLoopForAClientThatNeverReads(Family family) throws Exception {
        Pair p = pair(family);
        p.server.limits(new StreamLimits(Duration.ZERO, Duration.ZERO, Duration.ofMillis(300)));
        ExecutionException e = assertThrows(ExecutionException.class, () -> onVirtual(() -> {
            p.server.outputStream().write(new byte[32 << 20]);
            return null;
        }).get(20, TimeUnit.SECONDS));
        assertInstanceOf(HostTimeoutException.class, e.getCause());
        assertEquals(StreamTimeout.WRITE, p.server.timedOut());
        assertTrue(p.server.channel().isRegistered() || !p.server.isOpen());
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void aCloseByAnotherThreadOrAnInterruptEndsAWaitAtOnce(Family family) throws Exception {
        Pair closedByHost = looped(family);
        CompletableFuture<Integer> parked = onVirtual(() -> closedByHost.server.inputStream().read(new byte[8]));
        Thread.sleep(200);
        closedByHost.server.close();
        ExecutionException e = assertThrows(ExecutionException.class, () -> parked.get(5, TimeUnit.SECONDS));
        assertInstanceOf(ClosedChannelException.class, e.getCause());

        Pair interrupted = looped(family);
        CompletableFuture<Object> outcome = new CompletableFuture<>();
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                outcome.complete(interrupted.server.inputStream().read(new byte[8]));
            } catch (Throwable x) {
                outcome.complete(x);
            }
        });
        Thread.sleep(200);
        t.interrupt();
        assertInstanceOf(ClosedByInterruptException.class, outcome.get(5, TimeUnit.SECONDS),
                "an interrupt closes the connection, as a blocking channel's read does");
        assertFalse(interrupted.server.isOpen());
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void aZeroTimeoutFailsAtOnceWhenTheLoopHasNothingAndReadsWhatCameLater(Family family) throws Exception {
        Pair p = looped(family);
        p.server.setTimeout(Duration.ZERO);
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> onVirtual(() -> p.server.inputStream().read(new byte[8])).get(5, TimeUnit.SECONDS));
        assertInstanceOf(SocketTimeoutException.class, e.getCause());
        p.client.write(ByteBuffer.wrap("cd".getBytes()));
        Thread.sleep(200);
        assertEquals(2, (int) onVirtual(() -> p.server.inputStream().read(new byte[8])).get(5, TimeUnit.SECONDS));
        p.server.setTimeout(null);
        CompletableFuture<Integer> blocking = onVirtual(() -> p.server.inputStream().read(new byte[8]));
        p.client.write(ByteBuffer.wrap("e".getBytes()));
        assertEquals(1, blocking.get(5, TimeUnit.SECONDS), "back to waiting on the loop");
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void theClientsEndAndResetReachAWaitingRead(Family family) throws Exception {
        Pair ended = looped(family);
        CompletableFuture<Integer> atEnd = onVirtual(() -> ended.server.inputStream().read(new byte[8]));
        Thread.sleep(100);
        ended.client.shutdownOutput();
        assertEquals(-1, atEnd.get(5, TimeUnit.SECONDS));
        if (family == Family.TCP) {
            Pair reset = looped(family);
            CompletableFuture<Integer> atReset = onVirtual(() -> reset.server.inputStream().read(new byte[8]));
            Thread.sleep(100);
            reset.client.setOption(StandardSocketOptions.SO_LINGER, 0);
            reset.client.close(); // an RST
            ExecutionException e = assertThrows(ExecutionException.class, () -> atReset.get(5, TimeUnit.SECONDS));
            assertInstanceOf(IOException.class, e.getCause());
        }
    }

    @Test
    void hundredsOfLoopedConnectionsClosedGiveEveryDescriptorBack() throws Exception {
        long before = openDescriptors();
        List<Pair> pairs = new ArrayList<>();
        List<CompletableFuture<Integer>> reads = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            Pair p = looped(i % 2 == 0 ? Family.TCP : Family.UNIX);
            pairs.add(p);
            reads.add(onVirtual(() -> p.server.inputStream().read(new byte[8])));
        }
        Thread.sleep(300);
        for (Pair p : pairs) {
            p.server.close();
        }
        for (CompletableFuture<Integer> r : reads) {
            assertThrows(ExecutionException.class, () -> r.get(5, TimeUnit.SECONDS));
        }
        for (Pair p : pairs) {
            assertEquals(-1, readWithin(p.client, 5000), "each client sees the end");
            p.client.close();
        }
        awaitDescriptors(before);
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void aOneShotExchangeNeverJoinsALoop(Family family) throws Exception {
        Pair p = pair(family);
        p.client.write(ByteBuffer.wrap("request\n".getBytes()));
        CompletableFuture<Integer> served = onVirtual(() -> echo(p.server, 64)); // reads it, then waits for the end
        assertArrayEquals("request\n".getBytes(), readExactly(p.client, 8));
        Thread.sleep(100);
        assertFalse(p.server.channel().isRegistered(), "a request and the client's end: two reads, no loop");
        p.client.shutdownOutput();
        assertEquals(8, served.get(5, TimeUnit.SECONDS));
        assertFalse(p.server.channel().isRegistered());
    }

    @Test
    void aPlatformThreadOrAConnectionWhoseDescriptorLeavesBlocksInTheKernelAsBefore() throws Exception {
        Pair platform = pair(Family.TCP);
        platform.client.write(ByteBuffer.wrap("x".getBytes()));
        assertEquals(1, platform.server.inputStream().read(new byte[8]));
        assertTrue(platform.server.channel().isBlocking());

        Pair handedOver = pair(Family.TCP);
        handedOver.server.staysBlocking();
        CompletableFuture<Integer> read = onVirtual(() -> { // a third read that waits would join a loop, were it not for this
            byte[] one = new byte[1];
            handedOver.server.inputStream().read(one);
            handedOver.server.inputStream().read(one);
            return handedOver.server.inputStream().read(one);
        });
        handedOver.client.write(ByteBuffer.wrap("yz".getBytes()));
        Thread.sleep(100);
        handedOver.client.write(ByteBuffer.wrap("!".getBytes()));
        assertEquals(1, read.get(5, TimeUnit.SECONDS));
        assertTrue(handedOver.server.channel().isBlocking(), "not read ahead: its descriptor may go to a worker");
        assertFalse(handedOver.server.channel().isRegistered());
    }

    // ------------------------------------------------------------------ helpers

    /** Echoes until the client's end, in reads of up to {@code size}; returns the bytes echoed. */
    private static int echo(ChannelStreamRequest r, int size) throws IOException {
        byte[] b = new byte[size];
        int total = 0;
        for (int n; (n = r.inputStream().read(b, 0, b.length)) > 0; ) {
            r.outputStream().write(b, 0, n);
            total += n;
        }
        return total;
    }

    private static long drain(InputStream in, long want) throws IOException {
        byte[] b = new byte[16384];
        long total = 0;
        while (total < want) {
            int n = in.read(b, 0, (int) Math.min(b.length, want - total));
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }

    private static <T> CompletableFuture<T> onVirtual(Callable<T> work) {
        CompletableFuture<T> f = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                f.complete(work.call());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f;
    }

    private static byte[] readExactly(SocketChannel c, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            if (c.read(b) < 0) {
                throw new IOException("ended after " + b.position() + " of " + n);
            }
        }
        return b.array();
    }

    /** The client's next read: bytes, or -1 at the end; fails after {@code millis}. */
    private static int readWithin(SocketChannel c, long millis) throws Exception {
        CompletableFuture<Integer> f = CompletableFuture.supplyAsync(() -> {
            try {
                return c.read(ByteBuffer.allocate(8));
            } catch (IOException e) {
                return -2;
            }
        });
        return f.get(millis, TimeUnit.MILLISECONDS);
    }

    private record Pair(ChannelStreamRequest server, SocketChannel client) {
    }

    /** A pair whose server side has joined a loop: two reads on a virtual thread, then a third that had to wait. */
    private Pair looped(Family family) throws Exception {
        Pair p = pair(family);
        p.client.write(ByteBuffer.wrap("ab".getBytes()));
        CompletableFuture<Integer> third = onVirtual(() -> {
            byte[] one = new byte[1];
            p.server.inputStream().read(one);
            p.server.inputStream().read(one);
            return p.server.inputStream().read(one);
        });
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!p.server.channel().isRegistered() && System.nanoTime() < until) { // the third read found nothing
            Thread.sleep(1);
        }
        assertTrue(p.server.channel().isRegistered(), "joined the loop at its third read");
        p.client.write(ByteBuffer.wrap("c".getBytes()));
        assertEquals(1, third.get(5, TimeUnit.SECONDS));
        return p;
    }

    private Pair pair(Family family) throws IOException {
        ServerSocketChannel listener;
        if (family == Family.TCP) {
            listener = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        } else {
            Path path = Files.createTempFile(dir, "s", ".sock");
            Files.delete(path);
            listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(UnixDomainSocketAddress.of(path));
        }
        SocketChannel client = SocketChannel.open(listener.getLocalAddress());
        SocketChannel accepted = listener.accept();
        listener.close();
        ChannelStreamRequest server = new ChannelStreamRequest(accepted, family == Family.TCP ? Transport.TCP : Transport.UNIX_STREAM);
        open.add(client);
        open.add(server);
        return new Pair(server, client);
    }

    private static long openDescriptors() throws IOException {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }

    /**
     * Closed descriptors go back within a second: the loop lets go of a closed socket at its next turn. Each loop's
     * selector (epoll and its wake-up descriptor) may have started meanwhile, and stays until the loop ends.
     */
    private static void awaitDescriptors(long before) throws Exception {
        long atMost = before + 2L * ReadinessLoops.shared().size();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        long now = openDescriptors();
        while (now > atMost && System.nanoTime() < until) {
            Thread.sleep(20);
            now = openDescriptors();
        }
        assertTrue(now <= atMost, "descriptors back to " + atMost + ": " + now);
    }
}
