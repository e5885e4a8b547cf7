package io.portside.sample.echo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXSocketAddress;

import io.portside.handler.api.DatagramRequest;
import io.portside.handler.api.ReplySocket;
import io.portside.handler.api.SocketServer;
import io.portside.handler.api.Transport;

/**
 * The datagram handler over real UDP and Unix datagram sockets. The plain-Java datagram servers are not on this
 * branch yet, so the test plays the server's part itself: it receives one datagram on a bound channel and runs a
 * fresh handler on it, exactly as a synchronous {@code UDPServer} would.
 */
class EchoDatagramHandlerTest {

    @TempDir
    Path tmp;

    /** One server step: receive a datagram on {@code server} and let a new handler answer it from the same channel. */
    private static void handleOne(DatagramChannel server, Transport transport) throws Exception {
        ByteBuffer buffer = ByteBuffer.allocate(8192);
        SocketAddress client = server.receive(buffer);
        byte[] packet = Arrays.copyOf(buffer.array(), buffer.position());
        ReplySocket socket = new ReplySocket() {
            @Override
            public void sendTo(byte[] data, int offset, int length, SocketAddress target) throws IOException {
                server.send(ByteBuffer.wrap(data, offset, length), target);
            }

            @Override
            public SocketAddress localAddress() {
                try {
                    return server.getLocalAddress();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public Transport transport() {
                return transport;
            }
        };
        DatagramRequest request = new DatagramRequest() {
            @Override
            public byte[] packet() {
                return packet;
            }

            @Override
            public ReplySocket socket() {
                return socket;
            }
        };
        SocketServer self = new SocketServer() {
            @Override
            public SocketAddress serverAddress() {
                return socket.localAddress();
            }

            @Override
            public Transport transport() {
                return transport;
            }
        };
        new EchoDatagramHandler().run(request, client, self);
    }

    private static String roundTrip(DatagramChannel server, DatagramChannel client, SocketAddress to, String message, Transport t)
            throws Exception {
        client.send(ByteBuffer.wrap(message.getBytes(StandardCharsets.UTF_8)), to);
        handleOne(server, t);
        ByteBuffer reply = ByteBuffer.allocate(8192);
        client.receive(reply);
        return new String(reply.array(), 0, reply.position(), StandardCharsets.UTF_8);
    }

    @Test
    void stripsAndUpperCasesEachUdpDatagram() throws Exception {
        try (DatagramChannel server = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                DatagramChannel client = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            SocketAddress to = server.getLocalAddress();
            assertEquals("HELLO WORLD", roundTrip(server, client, to, "hello world\n", Transport.UDP), "the seed's client sends a newline");
            assertEquals("SPACES INSIDE", roundTrip(server, client, to, " \t spaces inside \r\n", Transport.UDP));
            assertEquals("", roundTrip(server, client, to, "   ", Transport.UDP), "an empty reply is still sent");
        }
    }

    @Test
    void answersOverUnixDatagramSockets() throws Exception {
        Path serverPath = tmp.resolve("echo-dgram.sock");
        Path clientPath = tmp.resolve("client.sock");
        try (DatagramChannel server = AFUNIXDatagramChannel.open().bind(AFUNIXSocketAddress.of(serverPath));
                DatagramChannel client = AFUNIXDatagramChannel.open().bind(AFUNIXSocketAddress.of(clientPath))) {
            assertEquals("UNIXGRAM", roundTrip(server, client, AFUNIXSocketAddress.of(serverPath), "unixgram\n", Transport.UNIX_DATAGRAM));
        }
    }
}
