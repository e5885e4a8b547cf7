package io.portside.server.host.internal;

import java.lang.System.Logger.Level;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

import javax.net.ssl.SSLEngine;

import io.portside.handler.api.BaseRequestHandler;
import io.portside.server.AcceptedRequest;
import io.portside.server.forking.WorkerException;
import io.portside.server.internal.ChannelStreamRequest;
import io.portside.server.internal.HostTimeoutException;
import io.portside.server.internal.ProtocolEnd;
import io.portside.server.internal.StreamLimits;
import io.portside.server.internal.StreamTimeout;
import io.portside.server.internal.ThrottledLine;
import io.portside.server.metrics.internal.Refusal;
import io.portside.server.tls.internal.TlsHandshakeException;
import io.portside.server.tls.internal.TlsStreamRequest;

/**
 * The path of every connection (and datagram) of one listener, from accept to end, as named stages over one
 * {@link Connection}:
 *
 * <ol>
 * <li><b>accept</b> ({@link #process}, on the listener's serving thread): the server took it; a {@code Connection} is
 *     made and counted.</li>
 * <li><b>admission</b> ({@link Admission}): the listener's connection limit and, where headers are expected, the trust
 *     in its peer; then its policies, unless a header or handshake comes first.</li>
 * <li><b>pin</b> ({@link RevisionRouting}): the handler revision current now, whatever swaps follow.</li>
 * <li><b>dispatch</b>: the listener's concurrency model runs {@link #serve} inline, on a thread, or hands the
 *     connection to a worker process.</li>
 * <li><b>read first</b> ({@link #serve}, on the connection's own thread): the PROXY header ({@link ProxyHeaderStage}),
 *     the TLS handshake, then the policies deferred to them.</li>
 * <li><b>handle</b> ({@link #serve}): a fresh handler of the pinned revision runs {@code setup}/{@code handle}/
 *     {@code finish}, counted on the revision while it runs; what it throws is classified and logged once.</li>
 * <li><b>end</b> ({@link #end}): the connection is shut down, the policies' hold released, its bytes counted.</li>
 * </ol>
 * Every stage ends the connection itself when it stops it, so each accepted connection ends exactly once.
 */
final class ConnectionPipeline {

    private static final System.Logger LOG = System.getLogger("io.portside.host");

    private final Supplier<ListenerSpec> spec;
    private final Admission admission;
    private final RevisionRouting routing;
    private final ListenerCounters counters;
    private final HostedConcurrency concurrency;
    private final ThrottledLine timeoutLine = new ThrottledLine(1);
    private final ThrottledLine tlsLine = new ThrottledLine(5);
    private final ThrottledLine writeLimitLine = new ThrottledLine(5);
    private final ListenerTls tls;
    private final ProxyHeaderStage proxyHeader;
    private final RequestWatchdog watchdog;
    private final ProtocolStage protocols;

    ConnectionPipeline(Supplier<ListenerSpec> spec, Admission admission, RevisionRouting routing, ListenerCounters counters,
            HostedConcurrency concurrency, ListenerTls tls) {
        this.tls = tls;
        this.spec = spec;
        this.admission = admission;
        this.routing = routing;
        this.counters = counters;
        this.concurrency = concurrency;
        this.proxyHeader = new ProxyHeaderStage(spec, counters);
        this.watchdog = new RequestWatchdog(spec, counters);
        this.protocols = new ProtocolStage(spec, counters, tls, this::protocolEnded);
    }

    /**
     * Accept, admission, pin and dispatch, on the serving thread. Whatever fails here (a policy, a model), the connection
     * ends and the serve loop goes on.
     */
    void process(AcceptedRequest<?> accepted) {
        Connection c = new Connection(accepted, this, System.nanoTime());
        counters.onAccepted();
        guarded(c, () -> {
            // the policies of a listener that reads a header or a handshake first judge after them, on the connection's thread
            if (!admission.atAccept(c, c.stream() && (tls.enabled() || proxyHeader.applies(c)))) {
                end(c);
                return;
            }
            routing.pin(c);
            HandlerRevision pinned = c.revision();
            if (pinned != null && pinned.protocol() && c.stream()) {
                serveByProtocol(c, pinned);
                return;
            }
            if (pinned == null && proxyHeader.applies(c)) {
                c.readNothingAhead(); // the revision the gap ends with may be a protocol
            }
            concurrency.dispatch(c);
        });
    }

    /**
     * A connection pinned to a protocol: served on the listener's loops whatever its concurrency model, at once when
     * nothing is to be read first, else after the PROXY header and the deferred policies on a thread of its own.
     */
    private void serveByProtocol(Connection c, HandlerRevision revision) {
        c.readNothingAhead();
        if (!tls.enabled() && (proxyHeader.applies(c) || c.admissionDeferred())) { // TLS: refused at once, below
            onItsOwnThread(c, () -> serve(c));
        } else if (!protocols.serve(c, revision)) {
            end(c);
        }
    }

    /**
     * For a model that hands connections to other processes: true when stages that read from the client (the PROXY
     * header) must run before the hand-over, and so not on the accepting thread ({@link #onItsOwnThread}).
     */
    boolean readsBeforeHandOver(Connection c) {
        return proxyHeader.applies(c);
    }

    /** Runs the rest of a connection's stages on a virtual thread of its own, failing as {@link #process} does. */
    void onItsOwnThread(Connection c, Runnable stages) {
        Thread.ofVirtual().name("portside-connection").start(() -> guarded(c, stages));
    }

    /** Whatever fails in {@code stages} (a policy, a model), the connection ends and the serve loop goes on. */
    private void guarded(Connection c, Runnable stages) {
        try {
            stages.run();
        } catch (RejectedExecutionException e) {
            refused(c, e);
        } catch (Throwable t) { // Errors included: no connection is left open, and the accept loop never dies of one
            counters.onError();
            LOG.log(Level.WARNING, "Listener {0}: closed a connection from {1}: it failed before its handler ran: {2}",
                    spec.get().name(), c.clientAddress(), describe(t));
            LOG.log(Level.DEBUG, "Stack trace of that failure", t);
            end(c);
        }
    }

    /**
     * Handshake, deferred admission, handle and end, where the model runs the connection: the stages of the worker side,
     * in order. The handshake comes first so that policies on a TLS listener can judge the client's certificate.
     */
    void serve(Connection c) {
        boolean protocolTookIt = false;
        try {
            c.limit(spec.get().timeLimits().stream());
            if (proxyHeader.read(c) && secure(c)) {
                HandlerRevision revision = settle(c);
                if (revision != null && revision.protocol()) {
                    protocolTookIt = protocols.serve(c, revision);
                } else if (revision != null) {
                    handle(c, revision);
                }
            }
        } finally {
            if (!protocolTookIt) {
                end(c);
            }
        }
    }

    /** The listener closes: connections its protocols serve end, and no later one is served. */
    void closeProtocols() {
        protocols.close();
    }

    /** For a model that hands connections to other processes: a protocol is served here, in the host, instead. */
    void serveByProtocolHere(Connection c, HandlerRevision revision) {
        if (!protocols.serve(c, revision)) {
            end(c);
        }
    }

    /** A connection a protocol served has ended (on its loop): counted as a handled one, logged by how it ended. */
    private void protocolEnded(Connection c, HandlerRevision revision, long started, ProtocolEnd how, Throwable failure) {
        try {
            revision.ended(c);
            counters.onHandled(System.nanoTime() - started);
            switch (how) {
                case PROTOCOL_FAILED -> handlerFailed(c, revision, failure);
                case WRITE_LIMIT -> {
                    counters.onError();
                    if (writeLimitLine.due(System.nanoTime())) {
                        LOG.log(Level.WARNING, "Listener {0}: protocol {1} kept writing after pauseWriting until more than {2} bytes "
                                + "waited for {3}, which did not read; the host closed the connection{4}", spec.get().name(),
                                revision.candidate(), String.valueOf(io.portside.handler.api.ProtocolTransport.WRITE_LIMIT),
                                c.clientAddress(), writeLimitLine.leftOut("connections at the write limit"));
                    }
                }
                case IDLE_TIMEOUT, FIRST_BYTE_TIMEOUT, WRITE_TIMEOUT -> timedOut(c, "at its " + how.timeout().key() + " of "
                        + StreamLimits.text(spec.get().timeLimits().stream().of(how.timeout())));
                case CLIENT_GONE -> LOG.log(Level.DEBUG, "Listener {0}: client {1} reset the connection while protocol {2} served it",
                        spec.get().name(), c.clientAddress(), revision.candidate());
                case CLOSED, SHUT_DOWN -> {
                    // the normal ends: counted as handled
                }
            }
        } finally {
            end(c);
        }
    }

    /**
     * TLS, on the connection's own thread (never the accepting one): the handshake, bounded by tls.handshake.timeout
     * and the client limits. False, counted and logged (a few lines per 10 s), when it failed.
     */
    private boolean secure(Connection c) {
        SSLEngine engine = c.stream() ? tls.newEngine(c.clientAddress()) : null;
        if (engine == null) {
            return true;
        }
        TlsStreamRequest secured = new TlsStreamRequest((ChannelStreamRequest) c.acceptedRequest(), engine);
        try {
            secured.handshake(spec.get().tls().handshakeTimeout());
        } catch (TlsHandshakeException e) {
            counters.onTlsFailure();
            if (tlsLine.due(System.nanoTime())) {
                LOG.log(Level.INFO, "Listener {0}: closed the connection from {1}: TLS handshake failed: {2}{3}", spec.get().name(),
                        c.clientAddress(), e.describe(), tlsLine.leftOut("failed handshakes"));
            }
            return false;
        }
        c.upgrade(secured);
        return true;
    }

    /**
     * For a model that hands connections to other processes: settles here, before the hand-over, what {@link #serve}
     * would settle in the worker (a deferred admission, the revision in the gap). Returns the revision, or null when
     * the connection was stopped and ended.
     */
    HandlerRevision settleForHandOver(Connection c) {
        if (tls.enabled()) { // a worker gets the bare descriptor: it would speak plaintext to a TLS client
            refused(c, new RejectedExecutionException("TLS is not served on a forking listener"));
            return null;
        }
        c.limit(spec.get().timeLimits().stream()); // they travel with the connection, and the worker's clock watches them
        HandlerRevision revision = proxyHeader.read(c) ? settle(c) : null;
        if (revision == null) {
            end(c);
        }
        return revision;
    }

    /** Deferred admission, then the revision; null (logged and counted) when the connection must stop. */
    private HandlerRevision settle(Connection c) {
        if (!admission.deferred(c)) {
            return null; // rejected: counted and logged by the admission stage
        }
        ListenerSpec s = spec.get();
        HandlerRevision revision;
        if (c.revision() == null) {
            counters.onGapWait();
        }
        try {
            revision = routing.resolve(c, s.gap());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            revision = null;
        }
        if (revision == null) {
            counters.onError();
            LOG.log(Level.WARNING, "Listener {0}: closed a connection from {1}: no handler became active within {2} ms",
                    s.name(), c.clientAddress(), String.valueOf(s.gap().toMillis())); // a String: MessageFormat would group digits
        }
        return revision;
    }

    /** A fresh handler of the revision; handler code never ends a listener thread, the serve loop or the host. */
    private void handle(Connection c, HandlerRevision revision) {
        revision.opened(c);
        long started = System.nanoTime();
        RequestWatch watch = null;
        try {
            watch = watchdog.start(c, revision); // request.warn, request.deadline
            BaseRequestHandler<Object> handler = revision.newHandler();
            handler.run(c.request(), c.clientAddress(), c.server());
        } catch (Throwable t) { // Errors included
            handlerFailed(c, revision, t);
        } finally {
            watchdog.stop(c, revision, watch);
            revision.ended(c);
            counters.onHandled(System.nanoTime() - started);
            countTimeout(c);
        }
    }

    /** A connection the host closed at a client time limit (in this process): counted and logged. */
    private void countTimeout(Connection c) {
        StreamTimeout limit = c.timedOutByHost();
        if (limit != null) {
            timedOut(c, "at its " + limit.key() + " of " + c.timedOutAfter());
        }
    }

    /** Counted, and one line per listener every 10 s at most: a flood of them costs a counter each, not a log record each. */
    private void timedOut(Connection c, String how) {
        counters.onTimedOut();
        if (timeoutLine.due(System.nanoTime())) {
            LOG.log(Level.INFO, "Listener {0}: closed the connection from {1} {2}{3}", spec.get().name(), c.clientAddress(), how,
                    timeoutLine.leftOut("connections at a time limit"));
        }
    }

    /**
     * A worker process ended the connection; an Exception is what its handler raised. The worker applies the listener's
     * time limits itself: a close at one of them is counted as a timeout, not as the handler's failure.
     */
    void endedElsewhere(Connection c, Throwable failure) {
        HandlerRevision revision = c.revision();
        if (revision != null) {
            revision.ended(c);
            counters.onHandled(System.nanoTime() - c.acceptedNanos()); // from accept: the hand-over included
        }
        if (failure instanceof WorkerException w && HostTimeoutException.is(w, w.exceptionClass())) {
            String message = w.getMessage(); // "CLASS: MESSAGE"
            timedOut(c, "in its worker process (pid " + w.workerPid() + "): "
                    + (message.length() > w.exceptionClass().length() + 2 ? message.substring(w.exceptionClass().length() + 2) : message));
        } else if (failure instanceof Exception) {
            handlerFailed(c, revision, failure);
        }
        end(c);
    }

    /** The model could not take the connection (a full pool, no worker in time, a closed model). */
    void refused(Connection c, RejectedExecutionException reason) {
        HandlerRevision revision = c.revision();
        if (revision != null) {
            revision.ended(c);
        }
        counters.onRefused(Refusal.MODEL_FULL);
        LOG.log(Level.WARNING, "Listener {0}: refused {1}: {2}", spec.get().name(), c.clientAddress(), reason.getMessage());
        end(c);
    }

    /** One line per failure, against the revision that served it; only the handler's own faults count as errors. */
    private void handlerFailed(Connection c, HandlerRevision revision, Throwable t) {
        String listener = spec.get().name();
        Object handler = revision == null ? "?" : revision.candidate();
        switch (HandlerFailure.classify(t, c.closedByHost() || c.timedOutByHost() != null)) {
            case CLOSED_BY_HOST -> LOG.log(Level.DEBUG, "Listener {0}: connection from {1} on {2} closed by the host: {3}",
                    listener, c.clientAddress(), handler, String.valueOf(t));
            case CLIENT_GONE -> LOG.log(Level.INFO, "Listener {0}: client {1} reset the connection while handler {2} served it",
                    listener, c.clientAddress(), handler);
            case HANDLER -> {
                counters.onError();
                LOG.log(Level.WARNING, "Listener {0}: handler {1} failed on a request from {2}: {3}", listener, handler,
                        c.clientAddress(), describe(t));
                LOG.log(Level.DEBUG, "Stack trace of that failure", t);
            }
        }
    }

    /**
     * A StackOverflowError's own text is its class alone; its message, when any, follows. A worker's report says which
     * worker process it came from.
     */
    private static String describe(Throwable t) {
        if (t instanceof WorkerException) {
            return t.toString();
        }
        return t.getMessage() == null ? t.getClass().getName() : t.getClass().getName() + ": " + t.getMessage();
    }

    /** The end: shut down once, release its slot and what the policies hold, count what it moved. */
    private void end(Connection c) {
        if (!c.markEnded()) {
            return;
        }
        try {
            c.shutDown();
        } finally { // even if the shutdown throws (a server's hook): a slot or a policy's count that leaked would never come back
            admission.release(c);
            counters.onEnded(c);
        }
    }
}
