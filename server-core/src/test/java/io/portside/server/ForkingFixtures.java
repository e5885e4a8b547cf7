package io.portside.server;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/** Clients and log capture for the forking tests. */
final class ForkingFixtures {

    private ForkingFixtures() {
    }

    /** A persistent connection that exchanges lines with {@link ForkingProbe}. */
    static final class Conversation implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;

        Conversation(SocketAddress server) throws IOException {
            socket = Clients.connect(server);
            in = socket.getInputStream();
        }

        /** Sends a line and reads the answer line; {@code null} at EOF or reset (the connection was closed). */
        String ask(String line) throws IOException {
            socket.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
            return readLine();
        }

        long pid() throws IOException {
            String answer = ask("pid");
            if (answer == null) {
                throw new AssertionError("the connection closed instead of answering 'pid'");
            }
            return Long.parseLong(answer);
        }

        /** Sends a line without reading an answer. */
        void send(String line) throws IOException {
            socket.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
        }

        /** Half-closes: the handler reads EOF after what was sent. */
        void halfClose() throws IOException {
            socket.shutdownOutput();
        }

        /** Reads a line; {@code null} at EOF or reset. */
        String readLine() throws IOException {
            try {
                byte[] line = Clients.readLine(in);
                if (line.length == 0) {
                    return null;
                }
                return new String(line, StandardCharsets.UTF_8).strip();
            } catch (SocketException reset) {
                return null;
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** Collects what the forking logger publishes, keeping lines that mention {@code marker}. */
    static final class ForkingLog extends Handler implements AutoCloseable {
        private static final Logger LOGGER = Logger.getLogger("io.portside.server.forking");
        private final SimpleFormatter formatter = new SimpleFormatter();
        private final List<String> lines = new CopyOnWriteArrayList<>();

        ForkingLog() {
            setLevel(Level.ALL);
            LOGGER.addHandler(this);
        }

        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                lines.add(formatter.formatMessage(record));
            }
        }

        /** Warning lines mentioning {@code marker}. */
        List<String> warnings(String marker) {
            return lines.stream().filter(l -> l.contains(marker)).toList();
        }

        /** Waits (bounded) for at least one warning mentioning {@code marker}; returns them all. */
        List<String> awaitWarnings(String marker) throws InterruptedException {
            await(() -> !warnings(marker).isEmpty(), Duration.ofSeconds(20), "a warning mentioning " + marker + "; have " + lines);
            return warnings(marker);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            LOGGER.removeHandler(this);
        }
    }

    static void await(BooleanSupplier condition, Duration limit, String what) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + limit.toMillis() + " ms waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    static void awaitGone(long pid) throws InterruptedException {
        await(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true), Duration.ofSeconds(20), "worker " + pid + " to exit");
    }
}
