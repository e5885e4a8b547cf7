package io.portside.sample.echo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.portside.server.BaseServer;
import io.portside.server.ThreadingTcpServer;
import io.portside.server.ThreadingUnixStreamServer;

/** The stream handler on the plain-Java servers, over real TCP and Unix sockets. */
class EchoStreamHandlerTest {

    @TempDir
    Path tmp;

    private static Thread serve(BaseServer<?> server) {
        return Thread.ofPlatform().daemon().start(() -> {
            try {
                server.serveForever();
            } catch (IOException ignored) {
                // closed
            }
        });
    }

    private static String readN(InputStream in, int n) throws IOException {
        return new String(in.readNBytes(n), StandardCharsets.ISO_8859_1);
    }

    @Test
    void upperCasesAsciiBytesAsTheyArriveOverTcp() throws Exception {
        try (ThreadingTcpServer server = new ThreadingTcpServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), EchoStreamHandler::new)) {
            Thread t = serve(server);
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.serverAddress().getPort())) {
                s.setSoTimeout(5000);
                s.getOutputStream().write("hello world\n".getBytes(StandardCharsets.US_ASCII));
                assertEquals("HELLO WORLD\n", readN(s.getInputStream(), 12));
                s.getOutputStream().write("no newline".getBytes(StandardCharsets.US_ASCII)); // the seeds' style
                assertEquals("NO NEWLINE", readN(s.getInputStream(), 10));
                byte[] utf8 = "ümlaut ß".getBytes(StandardCharsets.UTF_8);
                s.getOutputStream().write(utf8);
                // ASCII only, like Python's bytes.upper(): the length never changes, other bytes pass through.
                assertEquals(new String("üMLAUT ß".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1), readN(s.getInputStream(), utf8.length));
            }
            server.shutdown();
            t.join(5000);
        }
    }

    @Test
    void answersOverAUnixStreamSocket() throws Exception {
        Path path = tmp.resolve("echo.sock");
        try (ThreadingUnixStreamServer server = new ThreadingUnixStreamServer(path, EchoStreamHandler::new)) {
            Thread t = serve(server);
            try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                ch.connect(UnixDomainSocketAddress.of(path));
                ch.write(ByteBuffer.wrap("unix\n".getBytes(StandardCharsets.US_ASCII)));
                ByteBuffer reply = ByteBuffer.allocate(5);
                while (reply.hasRemaining() && ch.read(reply) > 0) {
                    // until the whole reply is in
                }
                assertEquals("UNIX\n", new String(reply.array(), StandardCharsets.US_ASCII));
            }
            server.shutdown();
            t.join(5000);
        }
    }
}
