package io.portside.sample.echo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.portside.server.ProtocolServing;
import io.portside.server.TcpServer;

/** The echo protocol on the plain-Java TCP server, over a real socket: upper-cased bytes, and flow control. */
class EchoProtocolTest {

    @Test
    void upperCasesWhatArrivesAndStopsReadingWhileTheClientDoesNot() throws Exception {
        try (ProtocolServing serving = new ProtocolServing(EchoProtocol::new);
             TcpServer server = new TcpServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), serving, true)) {
            Thread t = Thread.ofPlatform().daemon().start(() -> {
                try {
                    server.serveForever();
                } catch (IOException ignored) {
                    // closed
                }
            });
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.serverAddress().getPort())) {
                s.setSoTimeout(10_000);
                s.getOutputStream().write("hello world\n".getBytes(StandardCharsets.US_ASCII));
                assertEquals("HELLO WORLD\n", new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII));

                // 4 MiB sent before a byte is read back: the echo pauses reading (TCP holds the sender) instead of
                // buffering, and every byte arrives once the client reads
                byte[] block = "abcdefghijklmnopqrstuvwxyz012345".repeat(2048).getBytes(StandardCharsets.US_ASCII); // 64 KiB
                CompletableFuture<Void> send = CompletableFuture.runAsync(() -> {
                    try {
                        OutputStream out = s.getOutputStream();
                        for (int i = 0; i < 64; i++) {
                            out.write(block);
                        }
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                Thread.sleep(300);
                InputStream in = s.getInputStream();
                byte[] upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345".repeat(2048).getBytes(StandardCharsets.US_ASCII);
                for (int i = 0; i < 64; i++) {
                    assertEquals(new String(upper, StandardCharsets.US_ASCII), new String(in.readNBytes(block.length), StandardCharsets.US_ASCII));
                }
                send.get(30, TimeUnit.SECONDS);
            }
            server.shutdown();
            t.join(5000);
        }
    }
}
