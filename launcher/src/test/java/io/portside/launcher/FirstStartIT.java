package io.portside.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A fresh home: the deploy folder is seeded with the samples and echo answers on its default endpoints. */
class FirstStartIT {

    @TempDir
    Path home;

    @Test
    void firstStartSeedsTheSamplesAndEchoAnswersOnTcpAndUnix() throws Exception {
        assumeTrue(HostDeployIT.free(9999), "port 9999 is busy on this machine (is a Portside host running?)");
        try (HostHarness host = HostHarness.start(home, Map.of("portside.seed.samples", "true"))) {
            assertTrue(Files.exists(home.resolve("deploy/echo.jar")), "echo seeded into deploy/");
            HostHarness.awaitAnswer(9999, "hello world", "HELLO WORLD", Duration.ofSeconds(10));

            Path sock = home.resolve("sockets/echo.sock");
            HostHarness.await(() -> Files.exists(sock), Duration.ofSeconds(10), sock + " to exist");
            try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                ch.connect(UnixDomainSocketAddress.of(sock));
                ch.write(ByteBuffer.wrap("unix line\n".getBytes(StandardCharsets.US_ASCII)));
                ByteBuffer reply = ByteBuffer.allocate(64);
                while (reply.position() < 10 && ch.read(reply) > 0) {
                    // read until the whole reply is in
                }
                assertEquals("UNIX LINE\n", new String(reply.array(), 0, reply.position(), StandardCharsets.US_ASCII));
            }
        }
    }
}
