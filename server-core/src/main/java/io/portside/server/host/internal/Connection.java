package io.portside.server.host.internal;

import java.net.SocketAddress;
import java.nio.channels.SelectableChannel;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;

import io.portside.handler.api.PeerCredentials;
import io.portside.handler.api.ProxyInfo;
import io.portside.handler.api.SocketServer;
import io.portside.handler.api.StreamRequest;
import io.portside.handler.api.TlsInfo;
import io.portside.server.AcceptedRequest;
import io.portside.server.concurrency.DispatchedRequest;
import io.portside.server.forking.RunningRequest;
import io.portside.server.internal.ByteCounts;
import io.portside.server.internal.ChannelStreamRequest;
import io.portside.server.internal.ProtocolHandle;
import io.portside.server.internal.StreamLimits;
import io.portside.server.internal.StreamTimeout;

/**
 * One accepted connection, or one datagram, as the host knows it from accept to end: everything the stages of the
 * {@link ConnectionPipeline} learn about it lives here, on one object (Netty's per-channel state), instead of in maps
 * keyed by request. It is also what the listener's concurrency model receives.
 *
 * <p>Fields written on the accepting thread (the pin, the admission outcome) are published to the worker by the
 * hand-off itself (thread start, executor queue); the ones the host writes from other threads are volatile.
 */
final class Connection implements DispatchedRequest {

    private final AcceptedRequest<?> accepted;
    private final ConnectionPipeline pipeline;
    private final long acceptedNanos;
    /** The handler revision it runs on: pinned at accept, or (in the gap) the next one to become active. */
    private HandlerRevision revision;
    /** A policy was being replaced at accept: the admission stage runs again in the worker, once the gap ends. */
    private boolean admissionDeferred;
    /** What the admitting policies hold for it until it ends (a connection-count slot, ...). */
    private Runnable policyRelease;
    /** It counts against the listener's connection limit until it ends. */
    private boolean holdsSlot;
    /** The share of the host's descriptor budget it counts against with that slot; null when none. */
    private DescriptorBudget.Share budgetShare;
    /** The client a trusted proxy's PROXY header named; null without a header, or for a LOCAL one. */
    private volatile SocketAddress proxiedClient;
    /** The TLS connection over the accepted one, once its handshake is done: what the handler reads and writes. */
    private volatile StreamRequest secured;
    /** Forking: the worker process serving it. */
    private volatile RunningRequest worker;
    /** Served by an event-driven protocol on the listener's loops: what the host closes it through. */
    private volatile ProtocolHandle protocol;
    /** Forking: being handed to a worker; until {@link #servedBy} the host's copy of the connection must stay open. */
    private volatile boolean handingOver;
    /** While its handler runs on a listener that watches requests: what the listener's watchdog knows of it. */
    private volatile RequestWatch watch;
    /** The host closed it under its handler (drain deadline, listener close): the handler's failure is no error. */
    private volatile boolean closedByHost;
    private boolean ended;

    Connection(AcceptedRequest<?> accepted, ConnectionPipeline pipeline, long acceptedNanos) {
        this.accepted = accepted;
        this.pipeline = pipeline;
        this.acceptedNanos = acceptedNanos;
    }

    // ------------------------------------------------------------------ what it is

    @Override
    public Object request() {
        StreamRequest s = secured;
        return s != null ? s : accepted.request();
    }

    /** The accepted connection itself, below any TLS. */
    Object acceptedRequest() {
        return accepted.request();
    }

    /** From now on the handler gets {@code secured}, the TLS connection over the accepted one. */
    void upgrade(StreamRequest secured) {
        this.secured = secured;
    }

    /** The client: as a trusted proxy's header names it, else the connection's own peer. */
    @Override
    public SocketAddress clientAddress() {
        SocketAddress proxied = proxiedClient;
        return proxied != null ? proxied : accepted.clientAddress();
    }

    /** The connection's own peer: the proxy itself, on a listener that takes PROXY headers. */
    SocketAddress peerAddress() {
        return accepted.clientAddress();
    }

    /** From now on {@code client} is the client address everywhere: policies, the handler, log lines. */
    void proxiedFrom(SocketAddress client) {
        this.proxiedClient = client;
    }

    @Override
    public SocketServer server() {
        return accepted.server();
    }

    @Override
    public SelectableChannel serverChannel() {
        return accepted.server().channel();
    }

    long acceptedNanos() {
        return acceptedNanos;
    }

    boolean stream() {
        return accepted.request() instanceof StreamRequest;
    }

    /** The peer's credentials (Unix stream connections), read only when a policy asks. */
    Optional<PeerCredentials> peerCredentials() {
        return accepted.request() instanceof StreamRequest s ? s.peerCredentials() : Optional.empty();
    }

    /** The PROXY header it started with, once read; empty on a listener that takes none. */
    Optional<ProxyInfo> proxy() {
        return accepted.request() instanceof StreamRequest s ? s.proxy() : Optional.empty();
    }

    /** The TLS session, once its handshake is done; empty on a plaintext listener. */
    Optional<TlsInfo> tls() {
        StreamRequest s = secured;
        return s == null ? Optional.empty() : s.tls();
    }

    long bytesIn() {
        ProtocolHandle p = protocol;
        return (request() instanceof ByteCounts b ? b.bytesIn() : 0) + (p == null ? 0 : p.bytesIn());
    }

    long bytesOut() {
        ProtocolHandle p = protocol;
        return (request() instanceof ByteCounts b ? b.bytesOut() : 0) + (p == null ? 0 : p.bytesOut());
    }

    /**
     * Nothing may be read from it ahead of whoever serves it next (a worker process, a protocol): its reads stay the
     * kernel's blocking ones and never go through a readiness loop's inbox.
     */
    void readNothingAhead() {
        if (accepted.request() instanceof ChannelStreamRequest raw) {
            raw.staysBlocking();
        }
    }

    /** From now on a protocol serves it on the listener's loops; the host closes it through {@code handle}. */
    void servedByProtocol(ProtocolHandle handle) {
        protocol = handle;
        if (closedByHost) {
            handle.shutdown();
        }
    }

    /** Applies the listener's client time limits to a stream connection served in this process. */
    void limit(StreamLimits limits) {
        if (accepted.request() instanceof ChannelStreamRequest r) {
            r.limits(limits);
        }
    }

    /** How long the limit that closed it was, as its log line says it ("2 s", "750 ms"); null when none did. */
    String timedOutAfter() {
        return accepted.request() instanceof ChannelStreamRequest r ? r.timedOutAfter() : null;
    }

    /** The host's limit that closed it, or null: none did, or it was the handler's own timeout. */
    StreamTimeout timedOutByHost() {
        return accepted.request() instanceof ChannelStreamRequest r && r.timedOut() != null && r.timedOut().byHost() ? r.timedOut() : null;
    }

    /**
     * Since when ({@link System#nanoTime()}) its handler, started at {@code handlerStarted}, has run without waiting on
     * its client: since it started or since its last read or write of the client ended; 0 while it waits on the client
     * (the client time limits govern that wait, not the watchdog). A datagram's handler never waits on its client.
     */
    long busySince(long handlerStarted) {
        if (!(accepted.request() instanceof ChannelStreamRequest r)) {
            return handlerStarted;
        }
        if (r.waitingSince() != 0) {
            return 0;
        }
        long ended = r.lastWaitEnded();
        return ended != 0 && ended - handlerStarted > 0 ? ended : handlerStarted; // nanoTime: compare by difference
    }

    // ------------------------------------------------------------------ what the stages record

    HandlerRevision revision() {
        return revision;
    }

    void pin(HandlerRevision revision) {
        this.revision = revision;
    }

    boolean admissionDeferred() {
        return admissionDeferred;
    }

    void deferAdmission(boolean deferred) {
        this.admissionDeferred = deferred;
    }

    void holdPolicyRelease(Runnable release) {
        this.policyRelease = release;
    }

    /** The policies' release, handed out once. */
    Runnable takePolicyRelease() {
        Runnable r = policyRelease;
        policyRelease = null;
        return r;
    }

    void holdSlot(DescriptorBudget.Share share) {
        this.holdsSlot = true;
        this.budgetShare = share;
    }

    /** True once, for the one release of its slot in the listener's connection limit. */
    boolean takeSlot() {
        boolean held = holdsSlot;
        holdsSlot = false;
        return held;
    }

    /** With {@link #takeSlot()}: the budget share to release, handed out once. */
    DescriptorBudget.Share takeBudgetShare() {
        DescriptorBudget.Share s = budgetShare;
        budgetShare = null;
        return s;
    }

    /** Forking: from now until {@link #servedBy}, a close by the host waits for the worker instead of the descriptor. */
    void handingOver() {
        this.handingOver = true;
    }

    /** Forking: the worker serving it; stopped at once if the host closed the connection while it was being handed over. */
    void servedBy(RunningRequest worker) {
        this.worker = worker;
        if (closedByHost) {
            worker.abort();
        }
    }

    boolean closedByHost() {
        return closedByHost;
    }

    /** The watchdog's part of it while its handler runs; null when none watches it. */
    RequestWatch watch() {
        return watch;
    }

    void watch(RequestWatch w) {
        this.watch = w;
    }

    // ------------------------------------------------------------------ ending

    /**
     * Closes it from the host's side while it runs (drain deadline, listener close): a worker process is stopped, a
     * connection in this process closed. Returns false when there was nothing to close (a datagram).
     */
    boolean closeByHost() {
        if (!stream() && !handingOver) {
            return false; // a datagram in this process: nothing to close, and its handler's failures stay its own
        }
        closedByHost = true;
        RunningRequest w = worker;
        ProtocolHandle p = protocol;
        if (w != null) {
            w.abort();
        } else if (p != null) {
            p.shutdown(); // never waits: a protocol stuck in a callback is cut off all the same
        } else if (!handingOver) {
            accepted.release();
        } // else: servedBy stops the worker as soon as it is known (the descriptor must not close before it is sent)
        return true;
    }

    /** True the first time only: the one stage that ends it (however many ask) then calls {@link #shutDown}. */
    boolean markEnded() {
        if (ended) {
            return false;
        }
        ended = true;
        return true;
    }

    /** Ends the request: half-close and close for a connection (a TLS one says close_notify first). */
    void shutDown() {
        StreamRequest s = secured;
        if (s != null) {
            try {
                s.shutdownOutput();
            } catch (java.io.IOException | RuntimeException gone) {
                // the client is gone or the connection closed: closing is all that is left
            }
        }
        accepted.end();
    }

    // ------------------------------------------------------------------ what a concurrency model calls

    @Override
    public void serve() {
        pipeline.serve(this);
    }

    @Override
    public void handedOver() {
        accepted.release();
    }

    @Override
    public void finished(Throwable failure) {
        pipeline.endedElsewhere(this, failure);
    }

    @Override
    public void refused(RejectedExecutionException reason) {
        pipeline.refused(this, reason);
    }

    @Override
    public String toString() {
        return accepted.toString();
    }
}
