package io.portside.server.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Both kinds of loop serve a connection alike: the virtual one (JDK 25 and later) and the platform one (JDK 21 to 24,
 * where a selection on a virtual thread would pin its carrier). Real loopback sockets; each test its own loop.
 */
class ReadinessLoopTest {

    @ParameterizedTest(name = "virtual loop: {0}")
    @ValueSource(booleans = {true, false})
    void aLoopWakesTheWaitingReaderWithWhatArrivedAndACloseEndsTheWait(boolean virtual) throws Exception {
        ReadinessLoop loop = new ReadinessLoop("test-loop-" + virtual, virtual);
        try (ServerSocketChannel listener = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
                SocketChannel client = SocketChannel.open(listener.getLocalAddress());
                SocketChannel accepted = listener.accept()) {
            accepted.configureBlocking(false);
            LoopedChannel looped = loop.register(accepted);
            for (int i = 0; i < 200; i++) {
                byte[] request = ("line " + i + "\n").getBytes();
                CompletableFuture<byte[]> read = onVirtual(() -> {
                    byte[] b = new byte[64];
                    int n = looped.read(b, 0, b.length, true);
                    looped.write(ByteBuffer.wrap(b, 0, n), true);
                    return Arrays.copyOf(b, n);
                });
                client.write(ByteBuffer.wrap(request));
                assertArrayEquals(request, read.get(5, TimeUnit.SECONDS));
                ByteBuffer back = ByteBuffer.allocate(request.length);
                while (back.hasRemaining()) {
                    client.read(back);
                }
                assertArrayEquals(request, back.array(), "echoed through the loop's write path");
            }
            CompletableFuture<byte[]> parked = onVirtual(() -> {
                looped.read(new byte[8], 0, 8, true);
                return null;
            });
            Thread.sleep(100);
            accepted.close();
            looped.closed();
            ExecutionException e = assertThrows(ExecutionException.class, () -> parked.get(5, TimeUnit.SECONDS));
            assertInstanceOf(ClosedChannelException.class, e.getCause());
            client.shutdownOutput();
            assertEquals(-1, client.read(ByteBuffer.allocate(8)), "the client sees the end");
        }
    }

    private interface Work<T> {
        T run() throws Exception;
    }

    private static <T> CompletableFuture<T> onVirtual(Work<T> work) {
        CompletableFuture<T> f = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                f.complete(work.run());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f;
    }
}
