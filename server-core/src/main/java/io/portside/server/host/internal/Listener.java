package io.portside.server.host.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import io.portside.handler.api.BaseRequestHandler;
import io.portside.handler.api.PeerCredentials;
import io.portside.handler.api.PolicyDecision;
import io.portside.handler.api.SocketServer;
import io.portside.server.BaseServer;
import io.portside.server.internal.HostAttachment;
import io.portside.server.runtime.HandlerView;
import io.portside.server.runtime.ListenerView;

/**
 * One endpoint of the host. The listening socket belongs to the listener, not to a handler: handler revisions
 * come and go behind it ({@link #activate}), each request pinned to the revision current when it started, while
 * the socket stays open. Lifecycle methods run on the whiteboard's thread; the request path is lock-free apart
 * from the wait for a revision in the gap.
 */
final class Listener implements RequestHooks {

    private static final System.Logger LOG = System.getLogger("io.portside.host");

    private volatile ListenerSpec spec;
    private final RevisionSlot slot = new RevisionSlot();
    private final List<HandlerRevision> draining = new CopyOnWriteArrayList<>();
    private final Map<Object, Runnable> policyReleases = new ConcurrentHashMap<>();
    private final LongAdder accepted = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder drained = new LongAdder();
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();
    private final PolicyGate policies = new PolicyGate();
    private volatile List<HandlerCandidate> shadowed = List.of();
    private volatile String boundEndpoint;
    private BaseServer<?> server;
    private SwitchableConcurrency concurrency;
    private Thread serveThread;
    private long gapStartedNanos; // 0 while a revision is active

    Listener(ListenerSpec spec) {
        this.spec = spec;
    }

    ListenerSpec spec() {
        return spec;
    }

    /**
     * Applies a new spec in place; the caller has checked that it needs no new socket. Returns the policies whose
     * absence just opened a policy gap (see {@link PolicyGate}), or an empty list.
     *
     * @param registeredPolicies the names of every policy service registered now
     */
    List<String> update(ListenerSpec next, PolicyChain nextPolicies, List<HandlerCandidate> nextShadowed, Set<String> registeredPolicies) {
        ListenerSpec previous = this.spec;
        if (concurrency != null && !previous.concurrency().equals(next.concurrency())) {
            concurrency.switchTo(next.concurrency().create(this));
            LOG.log(Level.INFO, "Listener {0}: concurrency {1} -> {2}", next.name(), previous.concurrency(), next.concurrency());
        }
        this.spec = next;
        this.shadowed = nextShadowed;
        return policies.update(nextPolicies, next.gap(), registeredPolicies);
    }

    /** Opens the socket and starts serving; requests wait in the gap until a revision is activated. */
    void bind() throws IOException {
        ListenerSpec s = spec;
        concurrency = new SwitchableConcurrency(s.concurrency().create(this));
        server = HostedServers.create(s.endpoint(), concurrency, s.backlog(), s.unixSocket(), this);
        boundEndpoint = Endpoint.describe(s.endpoint().transport(), server.serverAddress());
        BaseServer<?> serving = server;
        serveThread = new Thread(() -> serve(serving), "portside-listener-" + s.name());
        serveThread.setDaemon(true);
        serveThread.start();
    }

    /** Keeps serving until closed, also after an {@link Error} escaped a synchronous handler. */
    private void serve(BaseServer<?> serving) {
        while (!serving.isClosed()) {
            try {
                serving.serveForever();
            } catch (Throwable t) {
                if (!serving.isClosed()) {
                    LOG.log(Level.ERROR, "Listener {0}: serve loop ended by {1}; serving on", spec.name(), String.valueOf(t));
                }
            }
        }
    }

    /** Makes {@code winner} the revision for new requests; the previous one drains until its deadline. */
    HandlerRevision activate(HandlerCandidate winner) {
        HandlerRevision previous = slot.current();
        if (previous != null && previous.candidate() == winner) {
            return null;
        }
        HandlerRevision next = new HandlerRevision(winner);
        slot.set(next);
        gapStartedNanos = 0;
        if (concurrency != null) {
            concurrency.activated(next); // forking: start the new revision's workers, retire the old ones
        }
        if (previous != null) {
            previous.retire();
            draining.add(previous);
        }
        return previous;
    }

    /** Empties the slot: new requests wait for a replacement. Returns the revision that was active. */
    HandlerRevision enterGap() {
        HandlerRevision previous = slot.set(null);
        if (gapStartedNanos == 0) {
            gapStartedNanos = System.nanoTime();
        }
        if (previous != null) {
            previous.retire();
            draining.add(previous);
        }
        return previous;
    }

    boolean inGap() {
        return slot.current() == null;
    }

    /** True once the gap has lasted longer than the spec allows. */
    boolean gapExpired() {
        return gapStartedNanos != 0 && System.nanoTime() - gapStartedNanos >= spec.gap().toNanos();
    }

    HandlerRevision active() {
        return slot.current();
    }

    /** The listener's server; null before {@link #bind()}. */
    BaseServer<?> server() {
        return server;
    }

    /** Closes what a retired revision still has open; returns how many connections were closed. */
    int drain(HandlerRevision revision) {
        int n = revision.closeOpen();
        drained.add(n);
        if (revision.openCount() == 0 || n > 0) {
            draining.remove(revision);
        }
        return n;
    }

    /** Forgets retired revisions that have finished on their own. */
    void pruneDrained() {
        draining.removeIf(r -> r.openCount() == 0);
    }

    /**
     * Stops accepting, gives running requests up to {@code grace} to finish, then closes what is left.
     * Returns the number of connections closed at the deadline.
     */
    int close(Duration grace) {
        if (server != null) {
            server.serverClose();
        }
        HandlerRevision active = slot.set(null);
        if (active != null) {
            // Its requests get the grace period and are then closed, like a retired revision's.
            active.retire();
            draining.add(active);
        }
        long deadline = System.nanoTime() + grace.toNanos();
        while (openConnections() > 0 && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        int closed = 0;
        for (HandlerRevision r : allRevisions()) {
            closed += r.closeOpen();
        }
        drained.add(closed);
        if (concurrency != null) {
            concurrency.awaitTermination(Duration.ofSeconds(3)); // forking: the workers stopped above have exited
        }
        if (serveThread != null) {
            try {
                serveThread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return closed;
    }

    String boundEndpoint() {
        return boundEndpoint;
    }

    long openConnections() {
        long n = 0;
        for (HandlerRevision r : allRevisions()) {
            n += r.openCount();
        }
        return n;
    }

    private List<HandlerRevision> allRevisions() {
        List<HandlerRevision> all = new ArrayList<>(draining);
        HandlerRevision active = slot.current();
        if (active != null) {
            all.add(active);
        }
        return all;
    }

    ListenerView view(String failure) {
        ListenerSpec s = spec;
        HandlerRevision active = slot.current();
        HandlerView handler = active == null ? null : active.candidate().view(active.openCount());
        List<HandlerView> losers = shadowed.stream().map(c -> c.view(0)).toList();
        List<HandlerView> drainingViews = draining.stream().filter(r -> r.openCount() > 0)
                .map(r -> r.candidate().view(r.openCount())).toList();
        return ListenerView.builder().name(s.name()).endpoint(boundEndpoint != null ? boundEndpoint : s.endpoint().text())
                .state(active != null ? io.portside.server.runtime.ListenerState.BOUND : io.portside.server.runtime.ListenerState.WAITING)
                .handler(handler).shadowed(losers).draining(drainingViews).concurrency(s.concurrency().toString())
                .policies(policies.chain().names()).openConnections(openConnections()).accepted(accepted.sum()).rejected(rejected.sum())
                .errors(errors.sum()).drained(drained.sum()).bytesIn(bytesIn.sum()).bytesOut(bytesOut.sum()).failure(failure).build();
    }

    // ------------------------------------------------------------------ request path (any thread)

    /**
     * Runs on the accepting thread, so this is where a request is pinned to the current revision: a worker thread
     * may start much later on a busy machine, and by then another revision may be current.
     */
    @Override
    public boolean verify(Object request, SocketAddress client, Supplier<Optional<PeerCredentials>> peer) {
        accepted.increment();
        if (!policies.deferIfInGap(request) && !admit(request, client, peer, policies.chain())) {
            return false;
        }
        // A synchronous model runs the request on this thread right now, so its handler's setup finds the revision
        // that is current anyway: the pin, attached to the request, is only for hand-offs.
        if (!concurrency.isInline() && request instanceof HostAttachment a) {
            a.attach(slot.current());
        }
        return true;
    }

    /**
     * In the worker, before the handler: judges a request whose policy check was deferred because a policy was
     * being replaced when it was accepted.
     *
     * @throws PolicyRejection if the chain rejects it (already counted and logged)
     */
    void admitDeferred(Object request, SocketAddress client) {
        PolicyChain chain;
        try {
            chain = policies.awaitChain(request);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PolicyRejection();
        }
        Supplier<Optional<PeerCredentials>> peer = request instanceof io.portside.handler.api.StreamRequest s
                ? s::peerCredentials : Optional::empty;
        if (chain != null && !admit(request, client, peer, chain)) {
            throw new PolicyRejection();
        }
    }

    private boolean admit(Object request, SocketAddress client, Supplier<Optional<PeerCredentials>> peer, PolicyChain chain) {
        if (chain.policies().isEmpty() && !chain.required()) {
            return true;
        }
        PolicyDecision decision = chain.verify(spec.name(), spec.endpoint().transport(), client, peer);
        if (!decision.accepted()) {
            rejected.increment();
            LOG.log(Level.INFO, "Listener {0}: rejected {1}: {2}", spec.name(), client, decision.reason());
            return false;
        }
        if (decision.onRequestEnd() != null) {
            policyReleases.put(request, decision.onRequestEnd());
        }
        return true;
    }

    /**
     * Runs a request in its worker (or, synchronous, on the serving thread): judges it first if its policy check was
     * deferred, then runs a fresh handler of the revision it was pinned to, counted on that revision while it runs,
     * whatever swaps follow.
     */
    @Override
    public void finish(Object request, SocketAddress client, SocketServer server) throws Exception {
        admitDeferred(request, client);
        HandlerRevision revision = revisionFor(request);
        revision.opened(request);
        try {
            BaseRequestHandler<Object> handler = revision.newHandler();
            handler.run(request, client, server);
        } catch (Throwable t) { // Errors included: handler code never ends a listener thread, the serve loop or the host
            handlerFailed(revision, request, client, t);
        } finally {
            revision.ended(request);
        }
    }

    /** One line per failure, against the revision that served the request; only the handler's own faults are errors. */
    private void handlerFailed(HandlerRevision revision, Object request, SocketAddress client, Throwable t) {
        switch (HandlerFailure.classify(t, revision.closedByHost(request))) {
            case CLOSED_BY_HOST -> LOG.log(Level.DEBUG, "Listener {0}: connection from {1} on {2} closed by the host: {3}",
                    spec.name(), client, revision.candidate(), String.valueOf(t));
            case CLIENT_GONE -> LOG.log(Level.INFO, "Listener {0}: client {1} reset the connection while handler {2} served it",
                    spec.name(), client, revision.candidate());
            case HANDLER -> {
                errors.increment();
                LOG.log(Level.WARNING, "Listener {0}: handler {1} failed on a request from {2}: {3}", spec.name(),
                        revision.candidate(), client, describe(t));
                LOG.log(Level.DEBUG, "Stack trace of that failure", t);
            }
        }
    }

    /** A StackOverflowError's own text is its class alone; its message, when any, follows. */
    private static String describe(Throwable t) {
        return t.getMessage() == null ? t.getClass().getName() : t.getClass().getName() + ": " + t.getMessage();
    }

    /** The revision a request was pinned to at accept; in the gap, the next one to become active, waited for. */
    HandlerRevision revisionFor(Object request) {
        HandlerRevision pinned = request instanceof HostAttachment a && a.attachment() instanceof HandlerRevision r ? r : null;
        if (pinned != null) {
            return pinned;
        }
        HandlerRevision next;
        try {
            next = slot.await(spec.gap());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NoRevisionException("interrupted while waiting for a handler");
        }
        if (next == null) {
            throw new NoRevisionException("no handler became active within " + spec.gap().toMillis() + " ms");
        }
        return next;
    }

    @Override
    public void ended(Object request) {
        policies.forget(request);
        countBytes(request);
        if (policyReleases.isEmpty()) {
            return;
        }
        Runnable release = policyReleases.remove(request);
        if (release != null) {
            try {
                release.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Listener {0}: a policy failed to release a request: {1}", spec.name(), String.valueOf(e));
            }
        }
    }

    /** Stream connections count both ways; for datagrams, the bytes received (replies are not counted yet). */
    private void countBytes(Object request) {
        if (request instanceof io.portside.server.internal.ChannelStreamRequest c) {
            bytesIn.add(c.bytesRead());
            bytesOut.add(c.bytesWritten());
        } else if (request instanceof io.portside.handler.api.DatagramRequest d) {
            bytesIn.add(d.packet().length);
        }
    }

    @Override
    public void error(SocketAddress client, Throwable error) {
        if (error instanceof PolicyRejection) {
            return; // a deferred rejection: counted and logged by admit()
        }
        errors.increment();
        if (error instanceof NoRevisionException) {
            LOG.log(Level.WARNING, "Listener {0}: closed a connection from {1}: {2}", spec.name(), client, error.getMessage());
            return;
        }
        HandlerRevision active = slot.current();
        LOG.log(Level.WARNING, "Listener {0}: handler {1} failed on a request from {2}: {3}", spec.name(),
                active == null ? "?" : active.candidate(), client, String.valueOf(error));
        LOG.log(Level.DEBUG, "Stack trace of that failure", error);
    }

    @Override
    public void refused(SocketAddress client, RejectedExecutionException reason) {
        rejected.increment();
        LOG.log(Level.WARNING, "Listener {0}: refused {1}: {2}", spec.name(), client, reason.getMessage());
    }

    /** A request whose deferred policy check rejected it; its connection is closed like any rejection. */
    static final class PolicyRejection extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PolicyRejection() {
            super("rejected by policy", null, false, false);
        }
    }

    /** No handler revision was active in time for a request. */
    static final class NoRevisionException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NoRevisionException(String message) {
            super(message, null, false, false);
        }
    }
}
