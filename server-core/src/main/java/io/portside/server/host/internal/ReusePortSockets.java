package io.portside.server.host.internal;

import io.portside.handler.api.Concurrency;
import io.portside.handler.api.Transport;

/**
 * How many sockets a listener binds to its endpoint ({@code reuseport.sockets}). Several sockets share one IP address
 * and port with SO_REUSEPORT, and the kernel spreads datagrams (by the sender's address) and new connections among
 * them, so each socket's own thread receives or accepts a share without handing anything to another.
 */
final class ReusePortSockets {

    /** The configured value that leaves the count to the transport: {@link #resolve}. */
    static final int AUTOMATIC = 0;
    /** The most sockets one listener may bind. */
    static final int MAX = 64;
    /**
     * UDP's automatic count is capped: beyond the cores, more receiving threads only take turns on them. Measured on a
     * 2-core machine (docs/performance.md, "SO_REUSEPORT and UDP").
     */
    static final int MAX_AUTOMATIC_UDP = 8;

    private ReusePortSockets() {
    }

    /**
     * The sockets a listener of {@code transport} binds: always 1 for Unix sockets (SO_REUSEPORT is for IP); the
     * configured count otherwise; when automatic, 1 for TCP, where the measured connection churn gained nothing from
     * more (docs/performance.md), and for UDP one per two processors (at least 1, at most {@value #MAX_AUTOMATIC_UDP}),
     * except on the {@code sync} model: each socket's thread serves its own datagrams, and sync promises one request at
     * a time. One per two, not one per processor: the kernel delivers each datagram and sends each reply on the
     * receiving thread's core, so a second receiving thread on two cores only takes turns with the first (measured on a
     * quiet 2-core machine: one socket 127k replies/s at 7.7 us of CPU each, two sockets 97k at 10.4 us).
     *
     * @param model the listener's settled model; null while not settled
     */
    static int resolve(int configured, Transport transport, Concurrency model) {
        if (transport == Transport.UNIX_STREAM || transport == Transport.UNIX_DATAGRAM) {
            return 1;
        }
        if (configured != AUTOMATIC) {
            return configured;
        }
        boolean spread = transport == Transport.UDP && model != Concurrency.SYNC;
        return spread ? Math.max(1, Math.min(MAX_AUTOMATIC_UDP, Runtime.getRuntime().availableProcessors() / 2)) : 1;
    }
}
