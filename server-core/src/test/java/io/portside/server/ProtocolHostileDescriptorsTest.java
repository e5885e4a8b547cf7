package io.portside.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A flood of 1,000 connections opened and closed against a protocol server leaves no connection counted and no
 * descriptor behind. Isolated: any other test's sockets (or a process launch, which holds every descriptor for a
 * moment) would move the count of /proc/self/fd.
 */
@Isolated
class ProtocolHostileDescriptorsTest {

    private static long descriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    /**
     * Catches: a connection that ends without its socket closed (ProtocolConnections.ended not reached, a key never
     * cancelled so the selector keeps the descriptor), or one left counted in openConnections().
     */
    @ParameterizedTest
    @ValueSource(strings = {"tcp", "unix"})
    void aThousandConnectionsOpenedAndClosedLeaveNothingBehind(String kind, @TempDir Path dir) throws Exception {
        try (ProtocolRig r = ProtocolRig.start(kind, dir, ProtocolHostileTest.Echo::new)) {
            warmUp(r); // every loop's selector open, so that they are in the count before
            Thread.sleep(200); // the loops let go of the warm-up sockets
            long before = descriptors();
            List<SocketChannel> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 1000; i++) {
                    SocketChannel c = r.connect();
                    clients.add(c);
                    if (i % 3 == 0) {
                        c.write(ByteBuffer.wrap(new byte[] {'x'})); // some with unread data: closed with a reset
                    }
                }
                ProtocolRig.until(() -> r.serving.openConnections() == 1000, "1,000 open, " + r.serving.openConnections());
            } finally {
                for (SocketChannel c : clients) {
                    c.close();
                }
            }
            r.awaitNoConnections();
            ProtocolRig.until(() -> descriptorsOrMax() <= before, "descriptors back to " + before + ", are " + descriptorsOrMax());
            for (ProtocolRecorder p : r.protocols) {
                p.assertEndedWellFormed();
            }
            assertEquals(1000 + Runtime.getRuntime().availableProcessors(), r.protocols.size());
        }
    }

    private static long descriptorsOrMax() {
        try {
            return descriptors();
        } catch (IOException e) {
            return Long.MAX_VALUE;
        }
    }

    private static void warmUp(ProtocolRig r) throws Exception {
        List<SocketChannel> warm = new ArrayList<>();
        for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) {
            warm.add(r.connect());
        }
        for (SocketChannel c : warm) {
            c.write(ByteBuffer.wrap(new byte[] {'w'}));
            ProtocolRig.readExactly(c, 1);
            c.close();
        }
        r.awaitNoConnections();
    }
}
