package io.portside.launcher;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** The client end of the control socket: one request to the host on a home, its answer. */
final class ControlClient {

    /** Longest answer read; a status of thousands of listeners stays well below it. */
    static final int MAX_ANSWER = 16 << 20;

    private final Path home;

    ControlClient(Path home) {
        this.home = home;
    }

    Path home() {
        return home;
    }

    /**
     * Sends {@code request}, returns the whole answer (to the end of the connection). Throws {@link NotRunning} when no
     * host listens on the home, {@link IOException} when the host did not answer within {@code timeout}.
     */
    String ask(ControlRequest request, Duration timeout) throws IOException {
        try (SocketChannel channel = connect(); ChannelDeadline deadline = new ChannelDeadline(channel, timeout)) {
            try {
                channel.write(ByteBuffer.wrap((request.line() + "\n").getBytes(StandardCharsets.UTF_8)));
                return readAll(channel);
            } catch (IOException e) {
                throw deadline.expired() ? new IOException("the host did not answer within " + timeout.toSeconds() + " s") : e;
            }
        }
    }

    /** Connects, or throws {@link NotRunning}. */
    SocketChannel connect() throws IOException {
        Path socket = ControlFiles.socket(home);
        if (!Files.exists(socket)) {
            throw new NotRunning("no Portside host is running on " + home);
        }
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(socket));
            return channel;
        } catch (IOException e) {
            channel.close();
            // ECONNREFUSED: the file of a host that has crashed (the next host replaces it)
            throw new NotRunning("no Portside host is running on " + home + " (" + socket + " is left from one that ended)");
        }
    }

    /** Reads to the end of the connection, at most {@link #MAX_ANSWER} bytes. */
    static String readAll(SocketChannel channel) throws IOException {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        ByteBuffer buf = ByteBuffer.allocate(8192);
        while (channel.read(buf) >= 0) {
            answer.write(buf.array(), 0, buf.position());
            buf.clear();
            if (answer.size() > MAX_ANSWER) {
                throw new IOException("the host's answer is longer than " + MAX_ANSWER + " bytes");
            }
        }
        return answer.toString(StandardCharsets.UTF_8);
    }

    /** No host runs on the home. */
    static final class NotRunning extends IOException {
        private static final long serialVersionUID = 1L;

        NotRunning(String message) {
            super(message);
        }
    }
}
