package io.portside.server.internal;

import java.time.Duration;

/**
 * The host's time limits on one stream connection, each {@link Duration#ZERO} for none: how long the handler may wait
 * for one read it asked for ({@code idle.timeout}), for the client's first byte ({@code first.byte.timeout}, from
 * accept), and for one write the client does not take ({@code write.timeout}).
 */
public record StreamLimits(Duration idle, Duration firstByte, Duration write) {

    public static final StreamLimits NONE = new StreamLimits(Duration.ZERO, Duration.ZERO, Duration.ZERO);

    /** {@code d} in nanoseconds, or {@link Long#MAX_VALUE} for a duration too long to say so ("forever"). */
    public static long nanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }

    /** The limit of one kind (idle, first byte, write), {@link Duration#ZERO} for the others. */
    public Duration of(StreamTimeout kind) {
        return switch (kind) {
            case IDLE -> idle;
            case FIRST_BYTE -> firstByte;
            case WRITE -> write;
            default -> Duration.ZERO;
        };
    }

    /** A limit as log lines say it: "2 s", "750 ms". */
    public static String text(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    public boolean any() {
        return !idle.isZero() || !firstByte.isZero() || !write.isZero();
    }
}
