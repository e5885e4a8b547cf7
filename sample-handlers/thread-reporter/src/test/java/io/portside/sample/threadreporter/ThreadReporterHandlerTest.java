package io.portside.sample.threadreporter;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.portside.server.ThreadingTcpServer;

/** The handler on the plain-Java threading server, over a real loopback socket. */
class ThreadReporterHandlerTest {

    private static String request(int port, byte[] data) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(data);
            InputStream in = s.getInputStream();
            ByteArrayOutputStream reply = new ByteArrayOutputStream();
            in.transferTo(reply); // the server closes after its one answer
            return reply.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void answersWithTheServingThreadsNameAndCloses() throws Exception {
        try (ThreadingTcpServer server = new ThreadingTcpServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                ThreadReporterHandler::new)) {
            Thread serve = Thread.ofPlatform().daemon().start(() -> {
                try {
                    server.serveForever();
                } catch (IOException ignored) {
                    // closed
                }
            });
            int port = server.serverAddress().getPort();
            String first = request(port, "Hello World 1".getBytes(StandardCharsets.US_ASCII));
            String second = request(port, "Hello World 2".getBytes(StandardCharsets.US_ASCII));
            assertTrue(first.matches("portside-threading-\\d+: Hello World 1"), first);
            assertTrue(second.matches("portside-threading-\\d+: Hello World 2"), second);
            assertTrue(!first.split(":")[0].equals(second.split(":")[0]), "a new thread per request: " + first + " / " + second);

            byte[] big = new byte[3000];
            java.util.Arrays.fill(big, (byte) 'x');
            String capped = request(port, big);
            int echoed = capped.substring(capped.indexOf(": ") + 2).length();
            assertTrue(echoed > 0 && echoed <= 1024, "one recv(1024), got " + echoed);
            server.shutdown();
            serve.join(5000);
        }
    }
}
