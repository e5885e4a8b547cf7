package ${package};

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.portside.server.TcpServer;

/** The handler on Portside's plain-Java TcpServer over loopback: no OSGi, no host. */
class ShoutHandlerTest {

    @Test
    void answersEachLineUpperCased() throws Exception {
        InetSocketAddress anyPort = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        try (TcpServer server = new TcpServer(anyPort, ShoutHandler::new)) {
            Thread serving = Thread.ofPlatform().daemon().start(() -> {
                try {
                    server.serveForever();
                } catch (IOException closed) {
                    // the server was closed
                }
            });
            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), server.serverAddress().getPort())) {
                client.setSoTimeout(5000);
                OutputStream out = client.getOutputStream();
                BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
                out.write("hello\n".getBytes(StandardCharsets.UTF_8));
                assertEquals("HELLO", in.readLine());
                out.write("straße\n".getBytes(StandardCharsets.UTF_8));
                assertEquals("STRASSE", in.readLine());
            }
            server.shutdown();
            serving.join(5000);
        }
    }
}
