package io.portside.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.portside.handler.api.DatagramRequest;
import io.portside.handler.api.StreamRequest;

/**
 * Composition instead of subclassing: a server with a {@link RequestProcessor} binds, accepts and ends requests its
 * transport's way, hands each request to the processor, and consults none of Python's request hooks.
 */
class RequestProcessorTest {

    @Test
    void aStreamServerHandsEachConnectionToItsProcessor() throws Exception {
        AtomicInteger verified = new AtomicInteger();
        RequestProcessor<StreamRequest> greet = accepted -> Thread.ofVirtual().start(() -> {
            try {
                accepted.request().outputStream().write(("hello " + accepted.clientAddress() + "\n").getBytes(StandardCharsets.US_ASCII));
            } catch (java.io.IOException ignored) {
                // the client went away
            } finally {
                accepted.end();
            }
        });
        try (TcpServer server = new TcpServer(new InetSocketAddress("127.0.0.1", 0), greet, true) {
            @Override
            protected boolean verifyRequest(StreamRequest request, SocketAddress clientAddress) {
                verified.incrementAndGet();
                return false;
            }
        }) {
            Serving serving = Serving.start(server);
            try (Socket client = Clients.connect(server.serverAddress())) {
                BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII));
                assertEquals("hello " + client.getLocalSocketAddress(), in.readLine());
                assertNull(in.readLine(), "end() half-closes and closes: the client reads EOF");
            }
            assertEquals(0, verified.get(), "the hooks are not consulted");
            assertNull(server.concurrency(), "the processor dispatches: the server has no model of its own");
            serving.stop();
        }
    }

    @Test
    void aDatagramServerHandsEachDatagramToItsProcessor() throws Exception {
        LinkedBlockingQueue<AcceptedRequest<DatagramRequest>> taken = new LinkedBlockingQueue<>();
        try (UdpServer udp = new UdpServer(new InetSocketAddress("127.0.0.1", 0), taken::add, true);
                DatagramSocket client = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            Serving serving = Serving.start(udp);
            client.send(new DatagramPacket("ping".getBytes(StandardCharsets.US_ASCII), 4, udp.serverAddress()));
            AcceptedRequest<DatagramRequest> accepted = taken.poll(10, TimeUnit.SECONDS);
            assertEquals("ping", new String(accepted.request().packet(), StandardCharsets.US_ASCII));
            assertEquals(client.getLocalSocketAddress(), accepted.clientAddress());
            assertTrue(accepted.server() == udp);
            accepted.end(); // nothing to close for a datagram: the socket is shared
            serving.stop();
        }
    }

    @Test
    void aUnixStreamServerTakesAProcessorToo(@TempDir Path dir) throws Exception {
        LinkedBlockingQueue<AcceptedRequest<StreamRequest>> taken = new LinkedBlockingQueue<>();
        try (UnixStreamServer server = new UnixStreamServer(dir.resolve("p.sock"), taken::add, true)) {
            Serving serving = Serving.start(server);
            try (SocketChannel client = SocketChannel.open(server.serverAddress())) {
                AcceptedRequest<StreamRequest> accepted = taken.poll(10, TimeUnit.SECONDS);
                accepted.release(); // the server's copy only, as after a hand-over to another process
                CompletableFuture<Integer> read = CompletableFuture.supplyAsync(() -> {
                    try {
                        return client.read(ByteBuffer.allocate(1));
                    } catch (java.io.IOException e) {
                        return -2;
                    }
                });
                assertEquals(-1, read.get(10, TimeUnit.SECONDS), "closed by the server");
            }
            serving.stop();
        }
    }
}
