package io.portside.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

import org.newsclub.net.unix.AFUNIXDatagramSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * Real clients for every transport. All of them are plain {@link Socket}s or {@link DatagramSocket}s (junixsocket's
 * Unix ones extend them), with a read timeout so that no test can hang on a silent server.
 */
final class Clients {

    static final int READ_TIMEOUT_MILLIS = 10_000;
    private static final AtomicInteger CLIENT_FILES = new AtomicInteger();

    private Clients() {
    }

    /** A connected stream client with a read timeout. */
    static Socket connect(SocketAddress server) throws IOException {
        Socket socket;
        if (server instanceof UnixDomainSocketAddress unix) {
            socket = AFUNIXSocket.newInstance();
            socket.connect(AFUNIXSocketAddress.of(unix.getPath()), 5_000);
        } else {
            socket = new Socket();
            socket.connect(server, 5_000);
        }
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        return socket;
    }

    /** A datagram client; Unix ones are bound to a fresh path in {@code dir} (unbound ones get no reply). */
    static DatagramSocket datagramClient(SocketAddress server, Path dir) throws IOException {
        DatagramSocket socket;
        if (server instanceof UnixDomainSocketAddress) {
            socket = AFUNIXDatagramSocket.newInstance();
            socket.bind(AFUNIXSocketAddress.of(dir.resolve("c" + CLIENT_FILES.incrementAndGet() + ".sock")));
        } else {
            socket = new DatagramSocket(new InetSocketAddress(((InetSocketAddress) server).getAddress(), 0));
        }
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        return socket;
    }

    /** An unbound Unix datagram client. */
    static DatagramSocket unboundUnixDatagramClient() throws IOException {
        DatagramSocket socket = AFUNIXDatagramSocket.newInstance();
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        return socket;
    }

    /** Sends one datagram to the server. */
    static void send(DatagramSocket client, SocketAddress server, byte[] data) throws IOException {
        if (server instanceof UnixDomainSocketAddress unix) {
            // junixsocket's addresses pass through DatagramPacket wrapped in an InetAddress.
            client.send(new DatagramPacket(data, data.length, AFUNIXSocketAddress.of(unix.getPath()).wrapAddress(), 0));
        } else {
            client.send(new DatagramPacket(data, data.length, server));
        }
    }

    /**
     * Receives one datagram, asserting it came from {@code server}'s socket: from its address (IP), or from the name a
     * Unix socket was bound under, in a private folder beside its path (docs/semantics.md, case 19).
     */
    static byte[] receiveFrom(DatagramSocket client, SocketAddress server) throws IOException {
        DatagramPacket reply = new DatagramPacket(new byte[70_000], 70_000);
        client.receive(reply);
        if (server instanceof UnixDomainSocketAddress unix) {
            Path from = Path.of(AFUNIXSocketAddress.unwrap(reply.getAddress(), reply.getPort()).getPath());
            Path path = unix.getPath().toAbsolutePath();
            assertEquals(path.getParent(), from.getParent().getParent(), "the reply must come from the server's socket: " + from);
            assertTrue(from.getParent().getFileName().toString().startsWith(".bind-"), "bound in its private folder: " + from);
        } else {
            assertEquals(server, reply.getSocketAddress(), "the reply must come from the server's address");
        }
        return Arrays.copyOf(reply.getData(), reply.getLength());
    }

    /** One exchange as CPython's stream_examine / dgram_examine do it: send, then read the whole reply line. */
    static byte[] exchange(ServerKind kind, SocketAddress server, Path dir, byte[] message) throws IOException {
        if (kind.isStream()) {
            try (Socket socket = connect(server)) {
                socket.getOutputStream().write(message);
                return readLine(socket.getInputStream());
            }
        }
        try (DatagramSocket socket = datagramClient(server, dir)) {
            send(socket, server, message);
            return receiveFrom(socket, server);
        }
    }

    /** Reads up to and including {@code \n}, or to EOF. */
    static byte[] readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) >= 0; ) {
            line.write(b);
            if (b == '\n') {
                break;
            }
        }
        return line.toByteArray();
    }

    /** Reads to EOF, bounded by the socket's read timeout; returns the byte count. */
    static long drain(InputStream in) throws IOException {
        return in.transferTo(java.io.OutputStream.nullOutputStream());
    }
}
