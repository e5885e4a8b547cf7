package io.portside.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/** Loopback client steps the samples' and policies' integration tests share. */
final class Wire {

    private Wire() {
    }

    /** A TCP connection to {@code host:port} from {@code localAddress} (null: any), with a 5 s read timeout. */
    static Socket connect(String host, int port, String localAddress) throws IOException {
        Socket s = new Socket();
        try {
            if (localAddress != null) {
                s.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
            }
            s.connect(new InetSocketAddress(InetAddress.getByName(host), port), 2000);
            s.setSoTimeout(5000);
            return s;
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    /**
     * True if a fresh connection is accepted and then closed by the server before it says anything: what a client
     * rejected by a policy sees (the kernel accepts the connection, the host closes it at once).
     */
    static boolean rejected(String host, int port, String localAddress) throws IOException {
        try (Socket s = connect(host, port, localAddress)) {
            return endsWithoutData(s.getInputStream());
        }
    }

    static boolean rejected(int port) throws IOException {
        return rejected("127.0.0.1", port, null);
    }

    /** True if the stream ends (EOF, or a reset) before any byte arrives. */
    static boolean endsWithoutData(InputStream in) throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketException reset) {
            return true;
        }
    }

    /** Sends one line to echo-like handlers over a fresh TCP connection from {@code localAddress}; the reply line. */
    static String exchange(String host, int port, String localAddress, String line) throws IOException {
        try (Socket s = connect(host, port, localAddress)) {
            return HostHarness.exchange(s, line);
        }
    }

    /** Sends one line over a Unix stream socket and reads one line back. */
    static String unixExchange(Path socket, String line) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)));
            return HostHarness.readLine(Channels.newInputStream(ch));
        }
    }

    /** True if a Unix stream connection is accepted and closed before any byte arrives. */
    static boolean unixRejected(Path socket) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            return endsWithoutData(Channels.newInputStream(ch));
        }
    }

    /** Waits until {@code condition} (which may throw) holds, polling every 50 ms. */
    static void await(IoCondition condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String lastError = "";
        while (true) {
            try {
                if (condition.holds()) {
                    return;
                }
            } catch (IOException e) {
                lastError = " (last error: " + e + ")";
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what + lastError);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    @FunctionalInterface
    interface IoCondition {
        boolean holds() throws IOException;
    }
}
