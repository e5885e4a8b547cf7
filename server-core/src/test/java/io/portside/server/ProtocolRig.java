package io.portside.server;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import io.portside.handler.api.StreamProtocolFactory;

/**
 * A TCP or Unix stream server serving {@link ProtocolServing} for the hostile tests, with a wide listen backlog (a
 * flood of connects must not wait on SYN retries), the protocols it made, and a close that cannot hang the suite: a
 * deadlocked loop would otherwise hold {@link ProtocolServing#close()} on a connection's lock forever.
 */
final class ProtocolRig implements AutoCloseable {

    final BaseServer<?> server;
    final ProtocolServing serving;
    final List<ProtocolRecorder> protocols = new CopyOnWriteArrayList<>();
    private final Serving loop;

    private ProtocolRig(BaseServer<?> server, ProtocolServing serving) {
        this.server = server;
        this.serving = serving;
        this.loop = Serving.start(server);
    }

    /** {@code kind} is "tcp" or "unix"; {@code dir} holds the Unix socket. */
    static ProtocolRig start(String kind, Path dir, Supplier<? extends ProtocolRecorder> protocol) throws IOException {
        ProtocolRig[] self = new ProtocolRig[1];
        StreamProtocolFactory factory = () -> {
            ProtocolRecorder p = protocol.get();
            self[0].protocols.add(p);
            return p;
        };
        ProtocolServing serving = new ProtocolServing(factory);
        StreamServer server = kind.equals("tcp")
                ? new TcpServer(new InetSocketAddress("127.0.0.1", 0), serving, false)
                : new UnixStreamServer(dir.resolve("hostile.sock"), serving, false);
        server.setRequestQueueSize(1024);
        server.bindAndActivate();
        self[0] = new ProtocolRig(server, serving);
        return self[0];
    }

    SocketAddress address() {
        return server.serverAddress();
    }

    SocketChannel connect() throws IOException {
        return connect(0);
    }

    /**
     * A client whose receive buffer is fixed at {@code receiveBuffer} bytes (0: the system's): TCP's autotuning would
     * otherwise let a loopback client absorb tens of MiB (tcp_rmem), and "the socket did not take it all" not hold.
     */
    SocketChannel connect(int receiveBuffer) throws IOException {
        SocketChannel c = SocketChannel.open(address() instanceof UnixDomainSocketAddress
                ? StandardProtocolFamily.UNIX : StandardProtocolFamily.INET);
        if (receiveBuffer > 0) {
            c.setOption(java.net.StandardSocketOptions.SO_RCVBUF, receiveBuffer);
        }
        c.connect(address());
        return c;
    }

    /** The n-th protocol made, waiting (bounded) for it to be connected. */
    ProtocolRecorder protocol(int n) throws InterruptedException {
        until(() -> protocols.size() > n, "protocol " + n + " made");
        ProtocolRecorder p = protocols.get(n);
        if (!p.made.await(5, TimeUnit.SECONDS)) {
            throw new AssertionError("connectionMade of protocol " + n + " within 5 s");
        }
        return p;
    }

    void awaitNoConnections() throws InterruptedException {
        until(() -> serving.openConnections() == 0, "openConnections() back to 0, is " + serving.openConnections());
    }

    static void until(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within 5 s: " + what);
            }
            Thread.sleep(5);
        }
    }

    /** Reads until EOF (a reset ends the count too), failing after 5 s; sleeps 1 ms every {@code pauseEvery} reads. */
    static long drain(SocketChannel c, long pauseEvery) throws Exception {
        InputStream in = Channels.newInputStream(c);
        byte[] chunk = new byte[8192];
        long total = 0;
        try (Watchdog w = new Watchdog(c)) {
            for (int n, reads = 0; (n = in.read(chunk)) >= 0; reads++) {
                total += n;
                if (pauseEvery > 0 && reads % pauseEvery == 0) {
                    Thread.sleep(1);
                }
            }
        } catch (IOException e) {
            if (!String.valueOf(e.getMessage()).contains("reset")) {
                throw new AssertionError("no EOF within 5 s (" + total + " bytes came)", e);
            }
        }
        return total;
    }

    /** Closes the channel after 5 s unless closed first: a blocked read then fails instead of hanging the suite. */
    private static final class Watchdog implements AutoCloseable {
        private final Thread thread;

        Watchdog(SocketChannel c) {
            thread = Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(5000);
                    c.close();
                } catch (InterruptedException | IOException done) {
                    // finished in time
                }
            });
        }

        @Override
        public void close() {
            thread.interrupt();
        }
    }

    /** Reads exactly {@code n} bytes, or fails after 5 s. */
    static byte[] readExactly(SocketChannel c, int n) throws Exception {
        ByteBuffer back = ByteBuffer.allocate(n);
        try (Watchdog w = new Watchdog(c)) {
            while (back.hasRemaining()) {
                if (c.read(back) < 0) {
                    throw new AssertionError("EOF after " + back.position() + " of " + n + " bytes");
                }
            }
        } catch (IOException e) {
            throw new AssertionError("not " + n + " bytes within 5 s (" + back.position() + " came)", e);
        }
        return back.array();
    }

    @Override
    public void close() throws Exception {
        loop.stop();
        loop.close();
        Thread closer = Thread.ofPlatform().daemon().start(serving::close);
        closer.join(5000);
        if (closer.isAlive()) {
            throw new AssertionError("ProtocolServing.close() hung for 5 s: a connection's lock is held for good");
        }
    }
}
