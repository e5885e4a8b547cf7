package io.portside.server.proxy.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * Random, valid and mutated headers, each followed by a payload, read through streams that return short reads: nothing
 * but {@link ProxyHeaderException} may escape, a valid header must be accepted, and after any accepted header the
 * stream must hold exactly the bytes after it (none lost, none read twice). Bounded in count; the seed is printed and
 * may be set with {@code -Dproxy.fuzz.seed=...} to replay a failure.
 */
class ProxyHeaderFuzzTest {

    private static final int RUNS = Integer.getInteger("proxy.fuzz.runs", 20_000);
    private static final ProxyMode[] MODES = {ProxyMode.V1, ProxyMode.V2, ProxyMode.ANY};

    private final long seed = Long.getLong("proxy.fuzz.seed", 0x15_0AF1_EDL);
    private final Random random = new Random(seed);
    private final FuzzHeaders headers = new FuzzHeaders(random);

    @Test
    void noExceptionEscapesAndNoByteIsLostOrReadTwice() {
        System.out.println("ProxyHeaderFuzzTest seed " + seed + " (-Dproxy.fuzz.seed=" + seed + " to replay)");
        long start = System.nanoTime();
        int accepted = 0;
        int validAccepted = 0;
        for (int run = 0; run < RUNS; run++) {
            int kind = run % 4;
            byte[] header = switch (kind) {
                case 0 -> headers.validV1();
                case 1 -> headers.validV2();
                case 2 -> headers.mutate(random.nextBoolean() ? headers.validV1() : headers.validV2());
                default -> headers.random();
            };
            boolean valid = kind < 2;
            ProxyMode mode = valid ? (kind == 0 ? pick(ProxyMode.V1, ProxyMode.ANY) : pick(ProxyMode.V2, ProxyMode.ANY))
                    : MODES[random.nextInt(MODES.length)];
            byte[] wire = V2Bytes.concat(header, payload());
            Outcome outcome = readOnce(wire, mode, run, valid);
            if (outcome.header() != null) {
                accepted++;
                validAccepted += valid ? 1 : 0;
            }
            assertEquals(outcome, readOnce(wire, mode, run, valid), "the same bytes, read in other chunks, give the same outcome");
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("ProxyHeaderFuzzTest: %d connections (x2 chunkings), %d accepted (%d of %d valid), %d ms%n",
                RUNS, accepted, validAccepted, RUNS / 2, millis);
        assertEquals(RUNS / 2, validAccepted, "every valid header is accepted");
    }

    /** What one read gave: the header (length and addresses) or the failure. */
    private record Outcome(ProxyHeader header, ProxyFailure failure) {
    }

    private Outcome readOnce(byte[] wire, ProxyMode mode, int run, boolean valid) {
        ChunkyStream in = new ChunkyStream(wire, random);
        try {
            ProxyHeader header = ProxyHeaderReader.read(in, mode);
            assertEquals(header.length(), in.position(), () -> context(run, wire, mode) + "consumed other than the header");
            assertArrayEquals(Arrays.copyOfRange(wire, header.length(), wire.length), in.readAllBytes(),
                    () -> context(run, wire, mode) + "the bytes after the header");
            return new Outcome(header, null);
        } catch (ProxyHeaderException e) {
            if (valid) {
                fail(context(run, wire, mode) + "a valid header was refused: " + e.failure());
            }
            assertTrue(in.position() <= wire.length);
            return new Outcome(null, e.failure());
        } catch (Throwable e) {
            throw new AssertionError(context(run, wire, mode) + "escaped: " + e, e);
        }
    }

    private ProxyMode pick(ProxyMode a, ProxyMode b) {
        return random.nextBoolean() ? a : b;
    }

    private byte[] payload() {
        byte[] payload = new byte[random.nextInt(40)];
        random.nextBytes(payload);
        return payload;
    }

    private String context(int run, byte[] wire, ProxyMode mode) {
        return "seed " + seed + " run " + run + " mode " + mode + " wire " + HexFormat.of().formatHex(wire) + ": ";
    }

    /** Hands out at most a random few bytes per read, as a socket may, and counts what it handed out. */
    private static final class ChunkyStream extends InputStream {

        private final ByteArrayInputStream bytes;
        private final Random random;
        private final int maxChunk;
        private int position;

        ChunkyStream(byte[] wire, Random random) {
            this.bytes = new ByteArrayInputStream(wire);
            this.random = random;
            this.maxChunk = random.nextBoolean() ? Integer.MAX_VALUE : 1 + random.nextInt(8);
        }

        @Override
        public int read() {
            int b = bytes.read();
            position += b < 0 ? 0 : 1;
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            int chunk = Math.min(length, maxChunk == Integer.MAX_VALUE ? length : 1 + random.nextInt(maxChunk));
            int read = bytes.read(buffer, offset, chunk);
            position += Math.max(read, 0);
            return read;
        }

        int position() {
            return position;
        }
    }
}
