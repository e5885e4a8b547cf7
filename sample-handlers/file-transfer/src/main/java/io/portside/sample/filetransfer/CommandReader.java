package io.portside.sample.filetransfer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Arrays;

import io.portside.handler.api.LineInputStream;

/**
 * Splits the client's input into commands. A command ends at its newline. Clients like seed 004's send a bare
 * {@code get name} and wait for the answer; for them a command also ends when no byte has arrived for {@link #PAUSE},
 * so a line that reaches the server in several segments is still one command. Bytes after a newline stay for the next
 * command, so line-oriented clients may pipeline. A command longer than {@link #MAX_LINE} bytes is read to its end
 * (newline, pause or end of input) without being kept, and reported as too long.
 */
final class CommandReader {

    /** Python's {@code recv(1024)} in the seed server. */
    static final int MAX_LINE = 1024;
    /**
     * How long the input must stay silent to end a command, or an acknowledgement, that has no newline. Each such
     * command is answered this much later; clients that end their lines with a newline never wait for it.
     */
    static final Duration PAUSE = Duration.ofMillis(200);
    /** How often the socket is looked at during a pause: the latency a late newline may add. */
    private static final long POLL_MILLIS = 5;

    /** A raw command line without its line ending; {@code tooLong} if it was longer than {@link #MAX_LINE}. */
    record Line(byte[] bytes, boolean tooLong) {
    }

    private final LineInputStream in;

    CommandReader(LineInputStream in) {
        this.in = in;
    }

    /** The next command line, or {@code null} at the end of the input. Waits as long as the connection lets it. */
    Line next() throws IOException {
        int first = in.read();
        return first < 0 ? null : restOfLine(first);
    }

    /**
     * The client's acknowledgement after a size: whatever it sends next, up to and including a newline, or up to a
     * pause, read like a command and ignored. False at the end of the input.
     */
    boolean awaitAcknowledgement() throws IOException {
        int first = in.read();
        if (first < 0) {
            return false;
        }
        restOfLine(first);
        return true;
    }

    /** The line that begins with {@code first}: up to its newline, the end of the input, or a pause. */
    private Line restOfLine(int first) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        boolean tooLong = false;
        for (int b = first; b >= 0 && b != '\n'; b = nextByteBeforePause()) {
            if (line.size() < MAX_LINE) {
                line.write(b);
            } else {
                tooLong = true;
            }
        }
        return tooLong ? new Line(line.toByteArray(), true) : new Line(stripCr(line.toByteArray()), false);
    }

    /**
     * The next byte of a line, or -1 if the input ends or stays silent for {@link #PAUSE}. Bytes that arrive during
     * the pause stay in the socket until read, so looking now and then misses none: the line ends only if none came.
     */
    private int nextByteBeforePause() throws IOException {
        long deadline = System.nanoTime() + PAUSE.toNanos();
        while (in.available() == 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return -1;
            }
            try {
                Thread.sleep(Math.min(POLL_MILLIS, Math.max(1, left / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for the rest of a command");
            }
        }
        return in.read();
    }

    private static byte[] stripCr(byte[] line) {
        return line.length > 0 && line[line.length - 1] == '\r' ? Arrays.copyOf(line, line.length - 1) : line;
    }
}
