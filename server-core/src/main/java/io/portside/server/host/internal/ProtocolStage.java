package io.portside.server.host.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.function.Supplier;

import io.portside.server.internal.ChannelStreamRequest;
import io.portside.server.internal.ProtocolConnections;
import io.portside.server.internal.ProtocolEnd;
import io.portside.server.internal.ThrottledLine;
import io.portside.server.metrics.internal.Refusal;

/**
 * The handle stage for a revision whose handler is an event-driven protocol: instead of a thread running a handler, the
 * connection goes to the listener's own readiness loops ({@link ProtocolConnections}, so a protocol that blocks its loop
 * stalls this listener only) and lives there until it ends; then the pipeline's end stage runs, on the loop.
 *
 * <p>A protocol reads the socket itself, so nothing may have been read ahead of it: on a PROXY listener the header is
 * read with the kernel's blocking reads ({@link ChannelStreamRequest#staysBlocking()}), never through a loop's inbox.
 * TLS is not served to protocols (a blocking {@code SSLEngine} stream underneath would give back the thread a protocol
 * saves): such a connection is closed, counted and logged.
 */
final class ProtocolStage {

    /** What the pipeline does once a protocol's connection has ended: count it, log how, end it. */
    interface Ended {
        void protocolEnded(Connection c, HandlerRevision revision, long started, ProtocolEnd how, Throwable failure);
    }

    private static final System.Logger LOG = System.getLogger("io.portside.host");

    private final Supplier<ListenerSpec> spec;
    private final ListenerCounters counters;
    private final Ended ended;
    private final ListenerTls tls;
    private final ThrottledLine refusals = new ThrottledLine(5);
    private volatile ProtocolConnections connections; // made with the first protocol connection
    private boolean closed; // guarded by this

    ProtocolStage(Supplier<ListenerSpec> spec, ListenerCounters counters, ListenerTls tls, Ended ended) {
        this.spec = spec;
        this.tls = tls;
        this.counters = counters;
        this.ended = ended;
    }

    /**
     * Hands the connection to a fresh protocol of {@code revision}; true when it took it (it ends on the loop), false when
     * it could not (counted and logged; the caller ends it).
     */
    boolean serve(Connection c, HandlerRevision revision) {
        if (!(c.acceptedRequest() instanceof ChannelStreamRequest raw) || tls.enabled() || c.tls().isPresent()) {
            refuse(c, revision, "protocols are served on plain TCP and Unix stream listeners, not with TLS");
            return false;
        }
        revision.opened(c);
        raw.stopTimers(); // the PROXY header's are done with; the loop keeps the listener's limits from here
        long started = System.nanoTime();
        long firstByteFrom = c.proxy().isPresent() ? started : c.acceptedNanos(); // as for a blocking handler
        try {
            connections().serve(raw.channel(), c.clientAddress(), revision::newProtocol, spec.get().timeLimits().stream(), firstByteFrom,
                    (connection, how, failure) -> ended.protocolEnded(c, revision, started, how, failure), c::servedByProtocol);
            return true;
        } catch (Throwable t) { // an Error too (no thread for a loop): the revision's count must not leak
            revision.ended(c);
            refuse(c, revision, "it could not be registered with the listener's loops: " + t);
            return false;
        }
    }

    /** The listener closes: its protocols' connections end (each is told connectionLost), later ones are refused. */
    void close() {
        ProtocolConnections p;
        synchronized (this) {
            p = connections;
            closed = true;
        }
        if (p != null) {
            p.close();
        }
    }

    private void refuse(Connection c, HandlerRevision revision, String why) {
        counters.onRefused(Refusal.PROTOCOL_UNSERVED);
        if (refusals.due(System.nanoTime())) {
            LOG.log(Level.WARNING, "Listener {0}: closed the connection from {1} to protocol {2}: {3}{4}", spec.get().name(),
                    c.clientAddress(), revision.candidate(), why, refusals.leftOut("connections"));
        }
    }

    private ProtocolConnections connections() throws IOException {
        ProtocolConnections p = connections;
        if (p == null) {
            synchronized (this) {
                if (closed) {
                    throw new IOException("the listener is closed");
                }
                if (connections == null) {
                    connections = new ProtocolConnections(spec.get().name());
                }
                p = connections;
            }
        }
        return p;
    }
}
