package io.portside.sample.filetransfer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

import io.portside.handler.api.LineInputStream;

/**
 * Splits the client's input into commands. A command ends at a newline, or, for clients like seed 004's that send a
 * bare {@code get name} and wait, where the input pauses: when the bytes received so far are all there is. Bytes after
 * a newline stay for the next command, so line-oriented clients may pipeline. A command longer than
 * {@link #MAX_LINE} bytes is reported as too long and skipped up to its newline (or the pause).
 */
final class CommandReader {

    /** Python's {@code recv(1024)} in the seed server. */
    static final int MAX_LINE = 1024;

    /** A raw command line without its line ending; {@code tooLong} if it was cut off. */
    record Line(byte[] bytes, boolean tooLong) {
    }

    private final LineInputStream in;

    CommandReader(LineInputStream in) {
        this.in = in;
    }

    /** The next command line, or {@code null} at the end of the input. */
    Line next() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        while (line.size() < MAX_LINE) {
            if (line.size() > 0 && in.available() == 0) {
                return new Line(stripCr(line.toByteArray()), false);
            }
            int b = in.read();
            if (b < 0) {
                return line.size() == 0 ? null : new Line(stripCr(line.toByteArray()), false);
            }
            if (b == '\n') {
                return new Line(stripCr(line.toByteArray()), false);
            }
            line.write(b);
        }
        skipRestOfLine();
        return new Line(line.toByteArray(), true);
    }

    /**
     * The client's acknowledgement after a size: whatever it sends next, up to and including a newline or until the
     * input pauses, at most {@link #MAX_LINE} bytes. False at the end of the input.
     */
    boolean awaitAcknowledgement() throws IOException {
        int b = in.read();
        if (b < 0) {
            return false;
        }
        for (int n = 1; b != '\n' && n < MAX_LINE && in.available() > 0; n++) {
            b = in.read();
            if (b < 0) {
                break;
            }
        }
        return true;
    }

    private void skipRestOfLine() throws IOException {
        while (in.available() > 0) {
            int b = in.read();
            if (b < 0 || b == '\n') {
                return;
            }
        }
    }

    private static byte[] stripCr(byte[] line) {
        return line.length > 0 && line[line.length - 1] == '\r' ? java.util.Arrays.copyOf(line, line.length - 1) : line;
    }
}
