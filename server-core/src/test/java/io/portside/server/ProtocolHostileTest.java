package io.portside.server;

import static io.portside.server.ProtocolRig.drain;
import static io.portside.server.ProtocolRig.readExactly;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.portside.handler.api.ProtocolTransport;

/**
 * Hostile tests of event-driven protocols ({@link ProtocolServing}) over real loopback sockets: races between the
 * transport and the loop, closes and aborts from inside every callback, clients that reset, dribble, half-close or
 * flood, protocols that throw anything in any callback, and one client starving the others. Every protocol is a
 * {@link ProtocolRecorder}, which checks asyncio's ordering (made first, lost once and last, nothing after, no overlap).
 * Each test says in a comment what it would catch.
 */
@Execution(ExecutionMode.CONCURRENT)
class ProtocolHostileTest {

    private static final int CHUNK = 64 * 1024;
    /** Echoes, pausing reading while the client does not take what it was sent (asyncio's pattern). */
    static class Echo extends ProtocolRecorder {
        @Override
        void onData(ByteBuffer data) {
            transport.write(data);
        }

        @Override
        void onPause() {
            transport.pauseReading();
        }

        @Override
        void onResume() {
            transport.resumeReading();
        }
    }

    /** Writes 64 KiB blocks until the transport asks it to pause (or it is closing); counts what it wrote. */
    static class Flooder extends ProtocolRecorder {
        final AtomicLong written = new AtomicLong();
        volatile boolean paused;
        volatile int pendingWhenPaused = -1;

        @Override
        void onMade() {
            byte[] block = new byte[CHUNK];
            for (int i = 0; i < 256 && !paused && !transport.isClosing(); i++) {
                transport.write(block);
                written.addAndGet(block.length);
            }
        }

        @Override
        void onPause() {
            paused = true;
            pendingWhenPaused = transport.writeBufferSize();
        }
    }

    @SuppressWarnings("unchecked")
    static <T extends Throwable> void sneak(Throwable t) throws T {
        throw (T) t;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static void send(SocketChannel c, String s) throws IOException {
        c.write(ByteBuffer.wrap(ascii(s)));
    }

    /** Each client sends one byte and reads it back: the connection (and its loop) still serves. */
    private static void assertStillEchoes(List<SocketChannel> clients, char mark) throws Exception {
        for (SocketChannel c : clients) {
            send(c, String.valueOf(mark));
            assertEquals(mark, (char) readExactly(c, 1)[0], "a bystander on the same server still echoes");
        }
    }

    /** Connections enough to land on every loop of the server (they are handed out in turn). */
    private static List<SocketChannel> bystanders(ProtocolRig r) throws Exception {
        List<SocketChannel> list = new ArrayList<>();
        for (int i = 0; i < 2 * Runtime.getRuntime().availableProcessors(); i++) {
            list.add(r.connect());
        }
        assertStillEchoes(list, 'a');
        return list;
    }

    private static void closeAll(List<SocketChannel> clients) throws IOException {
        for (SocketChannel c : clients) {
            c.close();
        }
    }

    // ---- bugs found in review: each of these failed on the first protocol commit (25d66ee) ----

    /**
     * Catches: a transport call from another thread takes the connection's lock, so a protocol that writes to another
     * connection (asyncio's chat room: data_received broadcasts to every other transport) holds its own lock while it
     * waits for the other's; two messages arriving at once on two loops deadlock them, and every connection of both
     * loops stalls for good. The barrier only makes "at once" certain: two clients' connections are on two loops
     * whenever the server has two (they are handed out in turn), and on one loop the barrier times out harmlessly.
     */
    @Test
    void aChatRoomBroadcastingAcrossLoopsKeepsFlowing() throws Exception {
        List<ProtocolTransport> room = new CopyOnWriteArrayList<>();
        CyclicBarrier together = new CyclicBarrier(2);
        try (ProtocolRig r = ProtocolRig.start("tcp", null, () -> new ProtocolRecorder() {
            @Override
            void onMade() {
                room.add(transport);
            }

            @Override
            void onData(ByteBuffer data) {
                try {
                    together.await(1, TimeUnit.SECONDS); // both messages arrived: both loops are in dataReceived
                } catch (InterruptedException | BrokenBarrierException | TimeoutException oneLoopOnly) {
                    // the two connections share a loop: they cannot be in dataReceived at once
                }
                for (ProtocolTransport other : room) {
                    if (other != transport) {
                        other.write(data.duplicate());
                    }
                }
            }

            @Override
            void onLost(Exception cause) {
                room.remove(transport);
            }
        }); SocketChannel alice = r.connect(); SocketChannel bob = r.connect()) {
            r.protocol(0);
            r.protocol(1);
            send(alice, "from alice");
            send(bob, "from bob!!");
            assertArrayEquals(ascii("from bob!!"), readExactly(alice, 10), "alice hears bob");
            assertArrayEquals(ascii("from alice"), readExactly(bob, 10), "bob hears alice");
        }
    }

    /**
     * Catches: ProtocolChannel.call catches RuntimeException and Error only, so a checked exception thrown past javac (a
     * Kotlin protocol, Lombok's @SneakyThrows, a rethrown Throwable) escapes into ReadinessLoop.run, whose catch closes
     * every connection of that loop: one client's bad input ends its neighbours' connections.
     */
    @Test
    void aCheckedExceptionThrownByAProtocolEndsOnlyItsOwnConnection() throws Exception {
        IOException sneaky = new IOException("thrown past javac on purpose");
        try (ProtocolRig r = ProtocolRig.start("tcp", null, () -> new Echo() {
            @Override
            void onData(ByteBuffer data) {
                if (data.get(0) == '!') {
                    sneak(sneaky);
                }
                super.onData(data);
            }
        })) {
            List<SocketChannel> others = bystanders(r);
            try (SocketChannel bad = r.connect()) {
                send(bad, "!");
                ProtocolRecorder p = r.protocol(others.size());
                p.assertEndedWellFormed();
                assertSame(sneaky, p.lostCause, "connectionLost is told the protocol's own exception");
                assertStillEchoes(others, 'b');
            } finally {
                closeAll(others);
            }
        }
    }

    /**
     * Catches: rethrowFatal lets an OutOfMemoryError out of the loop, and ReadinessLoop.run does not catch Errors, so its
     * thread dies: the connection is never told connectionLost and every connection of that loop (and every later one
     * handed to it) hangs for good. A protocol that allocates what a hostile length prefix asks for gets exactly this
     * error while the heap is fine ("Requested array size exceeds VM limit"); asyncio contains MemoryError (it catches
     * BaseException but SystemExit and KeyboardInterrupt).
     */
    @Test
    void anOutOfMemoryErrorFromAHostileLengthEndsOnlyItsOwnConnection() throws Exception {
        try (ProtocolRig r = ProtocolRig.start("tcp", null, () -> new Echo() {
            @Override
            void onData(ByteBuffer data) {
                if (data.get(0) == '!') {
                    byte[] body = new byte[Integer.MAX_VALUE - (data.get(0) - '!')]; // the length a client claimed
                    data = ByteBuffer.wrap(body, 0, 1);
                }
                super.onData(data);
            }
        })) {
            List<SocketChannel> others = bystanders(r);
            try (SocketChannel bad = r.connect()) {
                send(bad, "!");
                ProtocolRecorder p = r.protocol(others.size());
                p.assertEndedWellFormed();
                assertNotNull(p.lostCause);
                assertStillEchoes(others, 'b');
                try (SocketChannel later = r.connect(); SocketChannel later2 = r.connect()) { // on every loop again
                    assertStillEchoes(List.of(later, later2), 'c');
                }
            } finally {
                closeAll(others);
            }
        }
    }

    /**
     * Catches: write() counts one large write against WRITE_LIMIT before the protocol was ever asked to pause, so a
     * protocol answering with one big buffer (a file, a rendered page) is aborted though it never ignored pauseWriting.
     * asyncio buffers the write and calls pause_writing; the limit is meant for protocols that keep writing after it.
     */
    @ParameterizedTest
    @ValueSource(strings = {"tcp", "unix"})
    void oneLargeWriteIsSentWholeNotAborted(String kind, @TempDir Path dir) throws Exception {
        int size = 16 << 20; // well past what the sockets on the way can hold (tcp_wmem's 4 MiB and a 64 KiB window)
        try (ProtocolRig r = ProtocolRig.start(kind, dir, () -> new ProtocolRecorder() {
            @Override
            void onMade() {
                transport.write(new byte[size]);
                transport.close();
            }
        }); SocketChannel c = r.connect(64 * 1024)) {
            assertEquals(size, drain(c, 0), "every byte of the one write");
            ProtocolRecorder p = r.protocol(0);
            p.assertEndedWellFormed();
            assertNull(p.lostCause, "a clean close");
        }
    }

    /**
     * Catches: StreamProtocol promises "every method runs on the loop", as asyncio schedules connection_made and
     * connection_lost with call_soon; here connectionMade runs on the server's accepting thread (which a slow
     * connectionMade then stalls) and connectionLost inside close() on whatever thread called it.
     */
    @Test
    void everyCallbackRunsOnTheLoopEvenWhenAnotherThreadCloses() throws Exception {
        try (ProtocolRig r = ProtocolRig.start("tcp", null, Echo::new); SocketChannel c = r.connect()) {
            ProtocolRecorder p = r.protocol(0);
            send(c, "x");
            readExactly(c, 1);
            Thread.ofPlatform().name("application-thread").start(p.transport::close).join(5000);
            p.assertEndedWellFormed();
            for (String thread : p.threads()) {
                assertTrue(thread.startsWith("portside-protocol-"), "callbacks " + p.events() + " ran on " + p.threads());
            }
        }
    }

    // ---- closing and aborting from inside callbacks ----

    /** Catches: close() from dataReceived dropping what was written before it, or more data delivered after it. */
    @Test
    void closeFromInsideDataReceivedSendsWhatWasWrittenAndDeliversNothingMore() throws Exception {
        try (ProtocolRig r = ProtocolRig.start("tcp", null, () -> new ProtocolRecorder() {
            @Override
            void onData(ByteBuffer data) {
                transport.write(ascii("bye"));
                transport.close();
                transport.write(ascii("late")); // after close: dropped, as documented
            }
        }); SocketChannel c = r.connect()) {
            send(c, "a");
            assertArrayEquals(ascii("bye"), readExactly(c, 3));
            try {
                send(c, "more");
            } catch (IOException closedMeanwhile) {
                // the server may have closed already: what matters is that nothing more was delivered
            }
            assertEquals(0, drain(c, 0), "EOF after the farewell, nothing written after close()");
            ProtocolRecorder p = r.protocol(0);
            p.assertEndedWellFormed();
            assertEquals(1, p.count("data"), "nothing delivered after close(): " + p.events());
            r.awaitNoConnections();
        }
    }

    /** Catches: close() inside connectionMade losing the greeting, or reading starting anyway. */
    @ParameterizedTest
    @ValueSource(strings = {"tcp", "unix"})
    void closeFromInsideConnectionMadeSendsTheGreetingThenEnds(String kind, @TempDir Path dir) throws Exception {
        try (ProtocolRig r = ProtocolRig.start(kind, dir, () -> new ProtocolRecorder() {
            @Override
            void onMade() {
                transport.write(ascii("hi"));
                transport.close();
            }
        }); SocketChannel c = r.connect()) {
            assertArrayEquals(ascii("hi"), readExactly(c, 2));
            try {
                send(c, "ignored");
            } catch (IOException closedAlready) {
                // the server has closed: what matters is that nothing is delivered
            }
            ProtocolRecorder p = r.protocol(0);
            p.assertEndedWellFormed();
            assertEquals(List.of("made", "lost"), p.events());
            r.awaitNoConnections();
        }
    }

    /**
     * Catches: close() with a full write buffer ending the connection before the buffer is sent (asyncio: close()
     * flushes, then connection_lost), or never ending it.
     */
    @ParameterizedTest
    @ValueSource(strings = {"tcp", "unix"})
    void closeWhileWritesWaitFlushesEverythingThenEnds(String kind, @TempDir Path dir) throws Exception {
        try (ProtocolRig r = ProtocolRig.start(kind, dir, () -> new Flooder() {
            @Override
            void onPause() {
                super.onPause();
                transport.close();
            }
        }); SocketChannel c = r.connect()) {
            Flooder p = (Flooder) r.protocol(0);
            Thread.sleep(200);
            assertEquals(1, p.lost.getCount(), "not ended while " + p.pendingWhenPaused + " bytes wait");
            assertTrue(p.pendingWhenPaused > ProtocolTransport.HIGH_WATER, "paused above the high-water mark");
            assertEquals(p.written.get(), drain(c, 64), "every byte written before close()");
            p.assertEndedWellFormed();
            assertNull(p.lostCause);
            assertEquals(List.of("made", "pause", "lost"), p.events());
            r.awaitNoConnections();
        }
    }

    /** Catches: abort() sending what waited anyway, or not ending at once (asyncio: _force_close clears the buffer). */
    @ParameterizedTest
    @ValueSource(strings = {"tcp", "unix"})
    void abortFromInsidePauseWritingDropsExactlyWhatWaited(String kind, @TempDir Path dir) throws Exception {
        try (ProtocolRig r = ProtocolRig.start(kind, dir, () -> new Flooder() {
            @Override
            void onPause() {
                super.onPause();
                transport.abort();
            }
        }); SocketChannel c = r.connect()) {
            Flooder p = (Flooder) r.protocol(0);
            p.assertEndedWellFormed(); // before the client read a byte
            assertNull(p.lostCause, "abort() is a clean close for connectionLost");
            assertEquals(p.written.get() - p.pendingWhenPaused, drain(c, 0), "what the socket had taken, no more");
            r.awaitNoConnections();
        }
    }

    /** Catches: writes after writeEof reaching the socket (after a FIN), or writeEof ending the read side. */
    @Test
    void writeEofThenKeepReadingAndIgnoreLaterWrites(@TempDir Path dir) throws Exception {
        try (ProtocolRig r = ProtocolRig.start("unix", dir, () -> new ProtocolRecorder() {
            @Override
            void onMade() {
                transport.write(ascii("x"));
                transport.writeEof();
                transport.write(ascii("y")); // asyncio raises here; this transport drops it
            }
        }); SocketChannel c = r.connect()) {
            assertArrayEquals(ascii("x"), readExactly(c, 1));
            ProtocolRecorder p = r.protocol(0);
            ByteBuffer one = ByteBuffer.allocate(1);
            assertEquals(-1, c.read(one), "EOF after x, nothing after writeEof");
            send(c, "still heard");
            ProtocolRig.until(() -> p.bytesReceived() == "still heard".length(), "the half-closed connection still reads");
            c.shutdownOutput();
            p.assertEndedWellFormed();
            assertNull(p.lostCause);
        }
    }

    /** Catches: a transport call from connectionLost throwing, or causing a callback after it. */
    @Test
    void transportCallsFromConnectionLostAreHarmless() throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        try (ProtocolRig r = ProtocolRig.start("tcp", null, () -> new Echo() {
            @Override
            void onLost(Exception cause) {
                try {
                    transport.write(ascii("from the grave"));
                    transport.writeEof();
                    transport.pauseReading();
                    transport.resumeReading();
                    transport.close();
                    transport.abort();
                    assertTrue(transport.isClosing());
                    assertEquals(0, transport.writeBufferSize());
                } catch (Throwable t) {
                    thrown.set(t);
                }
            }
        }); SocketChannel c = r.connect()) {
            send(c, "a");
            readExactly(c, 1);
            c.shutdownOutput();
            assertEquals(0, drain(c, 0), "nothing written from connectionLost reaches the client");
            r.protocol(0).assertEndedWellFormed();
            assertNull(thrown.get());
            r.awaitNoConnections();
        }
    }

    // ---- protocols that throw ----

    enum Where { MADE, DATA, EOF, PAUSE, RESUME, LOST }

    /**
     * Catches: an exception in any callback leaving the connection open, ending it without connectionLost, telling
     * connectionLost twice, or leaving it counted as open.
     */
    @ParameterizedTest
    @EnumSource(Where.class)
    void aProtocolThatThrowsInAnyCallbackEndsItsConnectionOnce(Where where) throws Exception {
        IllegalStateException boom = new IllegalStateException("thrown in " + where + " on purpose");
        try (ProtocolRig r = ProtocolRig.start("tcp", null, () -> new Flooder() {
            @Override
            void onMade() {
                if (where == Where.MADE) {
                    throw boom;
                }
            }

            @Override
            void onData(ByteBuffer data) {
                if (where == Where.DATA) {
                    throw boom;
                }
                if (where == Where.PAUSE || where == Where.RESUME) {
                    super.onMade(); // floods until paused
                }
                if (where == Where.LOST) {
                    transport.close();
                }
            }

            @Override
            boolean onEof() {
                if (where == Where.EOF) {
                    throw boom;
                }
                return false;
            }

            @Override
            void onPause() {
                super.onPause();
                if (where == Where.PAUSE) {
                    throw boom;
                }
            }

            @Override
            void onResume() {
                if (where == Where.RESUME) {
                    throw boom;
                }
            }

            @Override
            void onLost(Exception cause) {
                if (where == Where.LOST) {
                    throw boom;
                }
            }
        }); SocketChannel c = r.connect()) {
            ProtocolRecorder p = r.protocol(0);
            if (where == Where.EOF) {
                c.shutdownOutput();
            } else if (where != Where.MADE) {
                send(c, "go");
            }
            if (where == Where.RESUME) {
                ProtocolRig.until(() -> ((Flooder) p).paused, "paused: the client has not read yet");
            } else {
                p.assertEndedWellFormed();
            }
            drain(c, where == Where.RESUME ? 16 : 0); // reading lets a paused protocol resume; then EOF
            p.assertEndedWellFormed();
            if (where == Where.LOST) {
                assertNull(p.lostCause);
            } else {
                assertSame(boom, p.lostCause, "connectionLost is told the exception; events " + p.events());
            }
            r.awaitNoConnections();
        }
    }

    /** Catches: a StackOverflowError on the loop ending more than its connection, or the loop itself. */
    @Test
    void aStackOverflowEndsOnlyItsConnection() throws Exception {
        try (ProtocolRig r = ProtocolRig.start("tcp", null, () -> new Echo() {
            int recurse(int n) {
                return n == Integer.MIN_VALUE ? 0 : 1 + recurse(n + 1);
            }

            @Override
            void onData(ByteBuffer data) {
                if (data.get(0) == '!') {
                    recurse(0);
                }
                super.onData(data);
            }
        })) {
            List<SocketChannel> others = bystanders(r);
            try (SocketChannel bad = r.connect()) {
                send(bad, "!");
                ProtocolRecorder p = r.protocol(others.size());
                p.assertEndedWellFormed();
                assertInstanceOf(StackOverflowError.class, p.lostCause.getCause(), String.valueOf(p.lostCause));
                assertEquals(0, drain(bad, 0));
                assertStillEchoes(others, 'b');
            } finally {
                closeAll(others);
            }
        }
    }

    // ---- races with other threads ----

    /**
     * Catches: writes from other threads and the loop's own interleaving inside one another (a torn line: one write's
     * bytes sent while the rest of another still waits), a callback overlapping another, or one after connectionLost.
     * Three threads write 16 KiB lines of their own letter while the loop echoes 'e's, to a client that starts reading late.
     */
    @Test
    void writesFromOtherThreadsDuringCallbacksStayWholeAndOrdered() throws Exception {
        int lines = 100;
        int echoed = 1 << 20;
        int lineSize = 16 * 1024;
        String letters = "FGH";
        try (ProtocolRig r = ProtocolRig.start("tcp", null, Echo::new); SocketChannel c = r.connect(64 * 1024); ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            ProtocolRecorder p = r.protocol(0);
            List<Future<?>> work = new ArrayList<>();
            for (char letter : letters.toCharArray()) {
                byte[] line = ascii(String.valueOf(letter).repeat(lineSize - 1) + "\n");
                work.add(pool.submit(() -> {
                    for (int i = 0; i < lines; i++) {
                        while (p.transport.writeBufferSize() > 4 * ProtocolTransport.HIGH_WATER) {
                            Thread.sleep(1); // well below the write limit: the test is of order, not of the limit
                        }
                        p.transport.write(line);
                        p.transport.isReading();
                    }
                    return null;
                }));
            }
            work.add(pool.submit(() -> {
                byte[] es = ascii("e".repeat(1024));
                for (int i = 0; i < echoed / es.length; i++) {
                    c.write(ByteBuffer.wrap(es));
                }
                return null;
            }));
            Thread.sleep(300); // the sockets fill and writes wait in the transport: the loop flushes while threads add
            byte[] all = readExactly(c, letters.length() * lines * lineSize + echoed);
            for (Future<?> f : work) {
                f.get(5, TimeUnit.SECONDS);
            }
            int seenLines = 0;
            for (int i = 0; i < all.length; i++) {
                if (all[i] == 'e') {
                    continue;
                }
                byte letter = all[i];
                assertTrue(letters.indexOf(letter) >= 0, "at " + i + ": " + (char) letter);
                for (int j = 0; j < lineSize - 1; j++) {
                    assertEquals(letter, all[i + j], "a line torn at " + (i + j));
                }
                assertEquals('\n', all[i + lineSize - 1], "a line torn at its end, " + (i + lineSize - 1));
                i += lineSize - 1;
                seenLines++;
            }
            assertEquals(letters.length() * lines, seenLines);
            Thread closer = Thread.ofVirtual().start(p.transport::close);
            closer.join(5000);
            p.assertEndedWellFormed();
            r.awaitNoConnections();
        }
    }

    /**
     * Catches: any interleaving of transport calls from several threads with the loop's own callbacks that overlaps two
     * callbacks, calls one after connectionLost, tells connectionLost twice or never, or leaves a connection counted.
     */
    @ParameterizedTest
    @ValueSource(strings = {"tcp", "unix"})
    void aStormOfTransportCallsFromOtherThreadsKeepsEveryConnectionWellFormed(String kind, @TempDir Path dir) throws Exception {
        int n = 20;
        try (ProtocolRig r = ProtocolRig.start(kind, dir, Echo::new); ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<SocketChannel> cs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                cs.add(r.connect());
            }
            List<Future<?>> work = new ArrayList<>();
            for (SocketChannel c : cs) {
                work.add(pool.submit(() -> { // each client sends and drains until the server ends the connection
                    try {
                        for (int i = 0; i < 2000; i++) {
                            c.write(ByteBuffer.wrap(new byte[512]));
                            c.read(ByteBuffer.allocate(4096));
                        }
                    } catch (IOException ended) {
                        // the storm closed or aborted it
                    }
                    return null;
                }));
            }
            for (int i = 0; i < n; i++) {
                r.protocol(i);
            }
            for (int t = 0; t < 4; t++) {
                long seed = t;
                work.add(pool.submit(() -> {
                    java.util.Random random = new java.util.Random(seed);
                    for (int i = 0; i < 3000; i++) {
                        ProtocolTransport tr = r.protocols.get(random.nextInt(n)).transport;
                        switch (random.nextInt(8)) {
                            case 0 -> tr.write(new byte[random.nextInt(70_000)]);
                            case 1 -> tr.pauseReading();
                            case 2 -> tr.resumeReading();
                            case 3 -> tr.writeEof();
                            case 4 -> tr.isReading();
                            case 5 -> tr.writeBufferSize();
                            default -> tr.write(new byte[16]);
                        }
                        if (i % 1000 == 999) {
                            Thread.sleep(5);
                        }
                    }
                    for (int i = 0; i < n; i++) { // the storm ends every connection, half with close, half with abort
                        ProtocolTransport tr = r.protocols.get(i).transport;
                        if (i % 2 == 0) {
                            tr.close();
                        } else {
                            tr.abort();
                        }
                    }
                    return null;
                }));
            }
            try {
                for (Future<?> f : work.subList(n, work.size())) {
                    f.get(5, TimeUnit.SECONDS);
                }
            } finally {
                closeAll(cs); // a close() still flushing to a client that stopped reading ends with the client
            }
            for (ProtocolRecorder p : r.protocols) {
                p.assertEndedWellFormed();
            }
            r.awaitNoConnections();
        }
    }

    // ---- hostile clients ----

    /**
     * Catches: a reset (SO_LINGER 0) while the server has bytes waiting for that client not ending the connection, or
     * ending it as a clean close, or twice.
     */
    @Test
    void aClientResetMidTransferEndsTheConnectionWithTheReason() throws Exception {
        try (ProtocolRig r = ProtocolRig.start("tcp", null, Echo::new)) {
            SocketChannel c = r.connect();
            ProtocolRecorder p = r.protocol(0);
            c.configureBlocking(false);
            ByteBuffer block = ByteBuffer.allocate(CHUNK);
            long sent = 0;
            for (int idle = 0; idle < 50 && sent < (64L << 20); ) { // fill every buffer on the way: the echo pauses
                block.clear();
                int n = c.write(block);
                sent += n;
                if (n == 0) {
                    idle++;
                    Thread.sleep(2);
                }
            }
            c.setOption(StandardSocketOptions.SO_LINGER, 0);
            c.close(); // RST
            p.assertEndedWellFormed();
            assertInstanceOf(IOException.class, p.lostCause, "a reset is not a clean close");
            r.awaitNoConnections();
        }
    }

    /** Catches: a half-close by the client cutting off what the echo still owes it. */
    @ParameterizedTest
    @ValueSource(strings = {"tcp", "unix"})
    void aClientThatHalfClosesStillReadsEverythingBack(String kind, @TempDir Path dir) throws Exception {
        int size = 2 << 20;
        try (ProtocolRig r = ProtocolRig.start(kind, dir, Echo::new); SocketChannel c = r.connect()) {
            CompletableFuture<Void> send = CompletableFuture.runAsync(() -> {
                try {
                    ByteBuffer data = ByteBuffer.allocate(size);
                    while (data.hasRemaining()) {
                        c.write(data);
                    }
                    c.shutdownOutput();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            assertEquals(size, drain(c, 32));
            send.get(5, TimeUnit.SECONDS);
            ProtocolRecorder p = r.protocol(0);
            p.assertEndedWellFormed();
            assertNull(p.lostCause);
            assertTrue(p.events().contains("eof"));
        }
    }

    /** Catches: one-byte reads lost or reordered, or a dribbling client stalling. */
    @Test
    void aOneByteDribbleComesBackByteForByte() throws Exception {
        try (ProtocolRig r = ProtocolRig.start("tcp", null, Echo::new); SocketChannel c = r.connect()) {
            c.setOption(StandardSocketOptions.TCP_NODELAY, true);
            for (int i = 0; i < 200; i++) {
                c.write(ByteBuffer.wrap(new byte[] {(byte) i}));
                assertEquals((byte) i, readExactly(c, 1)[0]);
            }
            assertTrue(r.protocol(0).count("data") >= 200, "each byte its own dataReceived");
        }
    }

    /** Catches: connections that close at the same moment leaving some counted open or told connectionLost twice. */
    @ParameterizedTest
    @ValueSource(strings = {"tcp", "unix"})
    void twoHundredClientsClosingAtOnceAllEnd(String kind, @TempDir Path dir) throws Exception {
        int n = 200;
        try (ProtocolRig r = ProtocolRig.start(kind, dir, Echo::new); ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<SocketChannel> cs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                cs.add(r.connect());
            }
            ProtocolRig.until(() -> r.serving.openConnections() == n, "all " + n + " connected");
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> closes = new ArrayList<>();
            for (SocketChannel c : cs) {
                closes.add(pool.submit(() -> {
                    go.await();
                    c.close();
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : closes) {
                f.get(5, TimeUnit.SECONDS);
            }
            r.awaitNoConnections();
            for (ProtocolRecorder p : r.protocols) {
                p.assertEndedWellFormed();
            }
        }
    }

    /**
     * Catches: one client flooding its connection monopolising a loop, e.g. a loop that keeps reading a socket while it
     * has more (a flooder always has more) before it serves the next, so that others on the same loop get no answers.
     * The flooders' connections discard what they read (no echo, so flow control never pauses them); the others echo.
     */
    @Test
    void aFloodingClientDoesNotStarveTheOthers() throws Exception {
        AtomicBoolean flooding = new AtomicBoolean(true);
        try (ProtocolRig r = ProtocolRig.start("tcp", null, () -> new Echo() {
            Boolean sink; // decided by the first byte: 'S' floods into a sink

            @Override
            void onData(ByteBuffer data) {
                if (sink == null) {
                    sink = data.get(0) == 'S';
                }
                if (!sink) {
                    super.onData(data);
                    return;
                }
                for (long end = System.nanoTime() + 200_000; System.nanoTime() < end; ) {
                    Thread.onSpinWait(); // parsing what came: slower than the client sends, so a flooder always has more
                }
            }
        }); ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<SocketChannel> floods = new ArrayList<>();
            for (int i = 0; i < 2 * Runtime.getRuntime().availableProcessors(); i++) { // on every loop, in turn
                SocketChannel f = r.connect();
                floods.add(f);
                pool.submit(() -> {
                    ByteBuffer block = ByteBuffer.allocate(CHUNK);
                    java.util.Arrays.fill(block.array(), (byte) 'S');
                    while (flooding.get()) {
                        block.clear();
                        f.write(block);
                    }
                    return null;
                });
            }
            try {
                Thread.sleep(100); // the floods are running
                List<SocketChannel> others = bystanders(r);
                try {
                    for (int round = 0; round < 20; round++) {
                        assertStillEchoes(others, (char) ('A' + round));
                    }
                } finally {
                    closeAll(others);
                }
            } finally {
                flooding.set(false);
                closeAll(floods);
            }
        }
    }
}
