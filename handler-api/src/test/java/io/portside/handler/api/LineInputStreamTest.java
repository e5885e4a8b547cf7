package io.portside.handler.api;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

import org.junit.jupiter.api.Test;

class LineInputStreamTest {

    /** A connection that delivers its data in the given pieces, one piece (at most) per read, as a socket would. */
    private static final class Pieces extends InputStream {
        private final Deque<byte[]> pieces = new ArrayDeque<>();
        int reads;

        Pieces(byte[]... pieces) {
            this.pieces.addAll(Arrays.asList(pieces));
        }

        @Override
        public int read() {
            throw new AssertionError("single-byte reads are not expected");
        }

        @Override
        public int read(byte[] b, int off, int len) {
            reads++;
            byte[] next = pieces.poll();
            if (next == null) {
                return -1;
            }
            int n = Math.min(len, next.length);
            System.arraycopy(next, 0, b, off, n);
            if (n < next.length) {
                pieces.push(Arrays.copyOfRange(next, n, next.length));
            }
            return n;
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(US_ASCII);
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) 'x');
        return b;
    }

    @Test
    void read1ReturnsWhatOneReadGivesAndEmptyOnlyAtEof() throws IOException {
        Pieces in = new Pieces(ascii("hello "), ascii("world\n"));
        LineInputStream rfile = new LineInputStream(in, 8192);
        assertArrayEquals(ascii("hello "), rfile.read1(100));
        assertArrayEquals(ascii("wor"), rfile.read1(3));
        assertArrayEquals(ascii("ld\n"), rfile.read1(100)); // from the buffer: no read of the connection
        assertEquals(2, in.reads);
        assertArrayEquals(new byte[0], rfile.read1(100));
        assertArrayEquals(new byte[0], rfile.read1(0));
    }

    @Test
    void theBufferStartsSmallAndStaysSmallForShortLines() throws IOException {
        byte[][] lines = new byte[50][];
        Arrays.fill(lines, ascii("a short line of text\n"));
        LineInputStream rfile = new LineInputStream(new Pieces(lines), 8192);
        for (int i = 0; i < 50; i++) {
            assertArrayEquals(ascii("a short line of text\n"), rfile.readLine());
        }
        assertEquals(LineInputStream.INITIAL_BUFFER, rfile.bufferCapacity());
    }

    @Test
    void theBufferDoublesWhileReadsFillItUpToTheBufferSize() throws IOException {
        byte[] big = bytes(100_000);
        LineInputStream rfile = new LineInputStream(new Pieces(big), 8192);
        int total = 0;
        int[] seen = new int[5];
        for (int i = 0; i < seen.length; i++) {
            total += rfile.read1(100_000).length;
            seen[i] = rfile.bufferCapacity();
        }
        assertArrayEquals(new int[] {512, 1024, 2048, 4096, 8192}, seen);
        for (byte[] more; (more = rfile.read1(100_000)).length > 0; ) {
            total += more.length;
            assertEquals(8192, rfile.bufferCapacity(), "never beyond the buffer size");
        }
        assertEquals(big.length, total);
    }

    @Test
    void theBufferHalvesAfterTwoReadsInARowThatUseLittleOfIt() throws IOException {
        int[] sizes = {512, 1024, 2048, 4096, 8192, 64, 64, 64, 64, 64, 64, 64, 64, 64};
        byte[][] pieces = new byte[sizes.length][];
        for (int i = 0; i < sizes.length; i++) {
            pieces[i] = bytes(sizes[i]);
        }
        LineInputStream rfile = new LineInputStream(new Pieces(pieces), 8192);
        int[] capacities = new int[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            assertEquals(sizes[i], rfile.read1(8192).length);
            capacities[i] = rfile.bufferCapacity();
        }
        assertArrayEquals(new int[] {512, 1024, 2048, 4096, 8192, 8192, 8192, 4096, 4096, 2048, 2048, 1024, 1024, 512},
                capacities);
    }

    @Test
    void aBufferSizeBelowTheInitialSizeIsTheWholeBuffer() throws IOException {
        LineInputStream rfile = new LineInputStream(new Pieces(ascii("abcdefgh\n")), 4);
        assertArrayEquals(ascii("abcd"), rfile.read1(100));
        assertEquals(4, rfile.bufferCapacity());
        assertArrayEquals(ascii("efgh\n"), rfile.readLine());
    }

    @Test
    void readLineSpansPiecesAndHonoursItsLimit() throws IOException {
        LineInputStream rfile = new LineInputStream(new Pieces(ascii("ab"), ascii("cd\nef"), ascii("gh\n")), 8192);
        assertArrayEquals(ascii("abcd\n"), rfile.readLine());
        assertArrayEquals(ascii("ef"), rfile.readLine(2));
        assertArrayEquals(ascii("gh\n"), rfile.readLine());
        assertArrayEquals(new byte[0], rfile.readLine());
    }

    @Test
    void closedStreamRefusesReads() {
        LineInputStream rfile = new LineInputStream(new Pieces(ascii("x")), 8192);
        rfile.close();
        assertThrows(IOException.class, () -> rfile.read1(1));
        assertThrows(IOException.class, rfile::readLine);
    }
}
