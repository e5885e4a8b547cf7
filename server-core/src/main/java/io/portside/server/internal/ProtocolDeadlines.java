package io.portside.server.internal;

/**
 * The host's time limits on one connection a protocol serves, checked on its loop's ticks: the client's first byte,
 * its silence while the protocol reads (not while the protocol paused reading: then the wait is the server's), and a
 * write the client takes none of. One object per connection that has limits; none for one that has not.
 */
final class ProtocolDeadlines {

    private final StreamLimits limits;
    private final long idle;
    private final long firstByte;
    private final long write;
    private final long started;
    private long lastRead;          // or when reading last resumed
    private long lastWriteProgress; // or when bytes last started to wait
    private boolean sawByte;

    private ProtocolDeadlines(StreamLimits limits, long firstByteFrom) {
        long now = System.nanoTime();
        this.limits = limits;
        this.idle = StreamLimits.nanos(limits.idle());
        this.firstByte = StreamLimits.nanos(limits.firstByte());
        this.write = StreamLimits.nanos(limits.write());
        this.started = firstByteFrom;
        this.lastRead = now;
        this.lastWriteProgress = now;
    }

    /** Null for no limits; {@code firstByteFrom}: when the client's first-byte wait began. */
    static ProtocolDeadlines of(StreamLimits limits, long firstByteFrom) {
        return limits == null || !limits.any() ? null : new ProtocolDeadlines(limits, firstByteFrom);
    }

    void read(long now) {
        sawByte = true;
        lastRead = now;
    }

    /** Reading resumed (or started): the client's silence counts from now. */
    void readingResumed(long now) {
        lastRead = now;
    }

    /** The socket took some of what waited, or bytes started to wait. */
    void wrote(long now) {
        lastWriteProgress = now;
    }

    /** What the protocol is told when {@code limit} closed its connection: the message a blocking handler's read gets. */
    HostTimeoutException failure(StreamTimeout limit) {
        return new HostTimeoutException(limit, limit.message(StreamLimits.text(limits.of(limit))));
    }

    /** The limit that has run out, or null; a closing connection has only what it still sends to wait for. */
    ProtocolEnd due(long now, boolean closing, boolean reading, boolean writesWaiting) {
        if (write > 0 && writesWaiting && now - lastWriteProgress > write) {
            return ProtocolEnd.WRITE_TIMEOUT;
        }
        if (closing) {
            return null;
        }
        if (firstByte > 0 && !sawByte && now - started > firstByte) {
            return ProtocolEnd.FIRST_BYTE_TIMEOUT;
        }
        if (idle > 0 && reading && now - lastRead > idle) {
            return ProtocolEnd.IDLE_TIMEOUT;
        }
        return null;
    }
}
