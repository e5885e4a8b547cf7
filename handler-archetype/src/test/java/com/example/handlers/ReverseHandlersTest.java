package com.example.handlers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.portside.server.BaseServer;
import io.portside.server.ThreadingTcpServer;
import io.portside.server.UdpServer;

/** The handlers on Portside's plain-Java servers over loopback: no OSGi, no host, no deploy folder. */
class ReverseHandlersTest {

    private static final InetSocketAddress ANY_LOOPBACK_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    /** serveForever() blocks until shutdown(), as Python's does: run it on a thread of its own. */
    private static Thread serve(BaseServer<?> server) {
        return Thread.ofPlatform().daemon().start(() -> {
            try {
                server.serveForever();
            } catch (IOException closed) {
                // the server was closed
            }
        });
    }

    @Test
    void streamHandlerReversesEachLine() throws Exception {
        // The factory is a constructor reference here; in the host it is ReverseStreamService.
        try (ThreadingTcpServer server = new ThreadingTcpServer(ANY_LOOPBACK_PORT, ReverseStreamHandler::new)) {
            Thread serving = serve(server);
            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), server.serverAddress().getPort())) {
                client.setSoTimeout(5000);
                BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
                client.getOutputStream().write("hello\nportside\nquit\n".getBytes(StandardCharsets.UTF_8));
                assertEquals("olleh", in.readLine());
                assertEquals("edistrop", in.readLine());
                assertEquals(null, in.readLine()); // "quit" ended the request: the server closed the connection
            }
            server.shutdown();
            serving.join(5000);
        }
    }

    @Test
    void datagramHandlerReversesEachDatagram() throws Exception {
        try (UdpServer server = new UdpServer(ANY_LOOPBACK_PORT, ReverseDatagramHandler::new);
                DatagramSocket client = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            Thread serving = serve(server);
            client.setSoTimeout(5000);
            byte[] hello = "hello".getBytes(StandardCharsets.UTF_8);
            client.send(new DatagramPacket(hello, hello.length, server.serverAddress()));
            DatagramPacket reply = new DatagramPacket(new byte[100], 100);
            client.receive(reply);
            assertEquals("olleh", new String(reply.getData(), 0, reply.getLength(), StandardCharsets.UTF_8));
            server.shutdown();
            serving.join(5000);
        }
    }
}
