package io.portside.server.host.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import io.portside.server.BaseServer;
import io.portside.server.runtime.FailureReason;
import io.portside.server.runtime.HandlerView;
import io.portside.server.runtime.ListenerState;
import io.portside.server.runtime.ListenerView;

/**
 * One endpoint of the host. The listening socket belongs to the listener, not to a handler: handler revisions come and
 * go behind it ({@link #activate}) while the socket stays open. The listener owns the socket's lifecycle and composes
 * the parts that do the per-connection work: {@link ConnectionPipeline} (the stages from accept to end),
 * {@link Admission} (policies), {@link RevisionRouting} (which revision a connection runs on) and
 * {@link ListenerCounters}. Lifecycle methods run on the whiteboard's thread.
 */
final class Listener {

    private static final System.Logger LOG = System.getLogger("io.portside.host");

    private volatile ListenerSpec spec;
    private final ListenerCounters counters = new ListenerCounters();
    private final RevisionRouting routing = new RevisionRouting(new StateHandOver(() -> spec.name()));
    private final Admission admission;
    private final ListenerTls tls = new ListenerTls();
    private volatile List<HandlerCandidate> shadowed = List.of();
    private volatile String boundEndpoint;
    private volatile ListenerSockets sockets;
    private SwitchableConcurrency concurrency;
    private ConnectionPipeline pipeline;

    Listener(ListenerSpec spec, DescriptorBudget descriptors) {
        this.spec = spec;
        this.admission = new Admission(this::spec, counters, descriptors);
    }

    ListenerSpec spec() {
        return spec;
    }

    /**
     * Applies a new spec in place; the caller has checked that it needs no new socket. Returns the policies whose
     * absence just opened a policy gap (see {@link Admission}), or an empty list.
     *
     * @param registeredPolicies the names of every policy service registered now
     */
    List<String> update(ListenerSpec next, PolicyChain nextPolicies, List<HandlerCandidate> nextShadowed, Set<String> registeredPolicies) {
        ListenerSpec previous = this.spec;
        this.spec = next;
        if (concurrency != null && !previous.concurrency().equals(next.concurrency())) {
            concurrency.switchTo(next.concurrency().create(this));
            LOG.log(Level.INFO, "Listener {0}: concurrency {1} -> {2}", next.name(), previous.concurrency(), next.concurrency());
        }
        this.shadowed = nextShadowed;
        tls.apply(next.tls(), next.name(), false);
        return admission.update(nextPolicies, next.gap(), registeredPolicies);
    }

    /** Opens the socket and starts serving; connections wait in the gap until a revision is activated. */
    void bind() throws IOException {
        ListenerSpec s = spec;
        tls.apply(s.tls(), s.name(), true); // before the socket opens: files that cannot be used fail the listener closed
        concurrency = new SwitchableConcurrency(s.concurrency().create(this));
        pipeline = new ConnectionPipeline(this::spec, admission, routing, counters, concurrency, tls);
        try {
            sockets = ListenerSockets.bind(s, pipeline::process, pipeline::process);
        } catch (IOException | RuntimeException e) {
            concurrency.close();
            tls.close();
            throw e;
        }
        boundEndpoint = Endpoint.describe(s.endpoint().transport(), sockets.first().serverAddress());
        if (s.endpoint().transport().isStream()) {
            admission.joinBudget(); // before the first accept
        }
        sockets.serve(s.name(), this::serve);
    }

    /** Keeps serving until closed, also after an {@link Error} escaped. */
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

    /** Makes {@code winner} the revision for new connections; returns the previous one, which drains until its deadline. */
    HandlerRevision activate(HandlerCandidate winner) {
        RevisionRouting.Swap swap = routing.activate(winner);
        if (swap == null) {
            return null;
        }
        counters.onSwap();
        if (concurrency != null) {
            concurrency.activated(swap.next()); // forking: start the new revision's workers, retire the old ones
        }
        return swap.previous();
    }

    /** Empties the slot: new connections wait for a replacement. Returns the revision that was active. */
    HandlerRevision enterGap() {
        return routing.enterGap();
    }

    boolean inGap() {
        return routing.inGap();
    }

    /** True once the gap has lasted longer than the spec allows. */
    boolean gapExpired() {
        return routing.gapExpired(spec.gap());
    }

    HandlerRevision active() {
        return routing.active();
    }

    /** The listener's (first) server; null before {@link #bind()}. */
    BaseServer<?> server() {
        ListenerSockets bound = sockets;
        return bound == null ? null : bound.first();
    }

    ConnectionPipeline pipeline() {
        return pipeline;
    }

    /** Closes what a retired revision still has open; returns how many connections were closed. */
    int drain(HandlerRevision revision) {
        int retired = routing.retiredCount();
        int n = routing.drain(revision);
        counters.onDrained(n);
        if (n == 0 && routing.retiredCount() < retired) { // it had finished on its own before the deadline
            counters.onRevisionsDrained(1);
        }
        return n;
    }

    /** Forgets retired revisions that have finished on their own. */
    void pruneDrained() {
        counters.onRevisionsDrained(routing.pruneDrained());
    }

    /**
     * Stops accepting, gives running connections up to {@code grace} to finish, then closes what is left. Returns the
     * number of connections closed at the deadline.
     */
    int close(Duration grace) {
        if (sockets != null) {
            sockets.close();
        }
        if (concurrency != null) {
            concurrency.close(); // takes nothing new; never waits: the deadline below is the listener's
        }
        routing.retireActive();
        long deadline = System.nanoTime() + grace.toNanos();
        while (openConnections() > 0 && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        int closed = routing.closeAll();
        if (pipeline != null) {
            pipeline.closeProtocols(); // one still reading its PROXY header, or in the gap, when closeAll went by
        }
        counters.onDrained(closed);
        admission.leaveBudget();
        tls.close();
        if (concurrency != null) {
            concurrency.awaitTermination(Duration.ofSeconds(3)); // forking: the workers stopped above have exited
        }
        if (sockets != null) {
            sockets.join(2000);
        }
        return closed;
    }

    String boundEndpoint() {
        return boundEndpoint;
    }

    long openConnections() {
        return routing.openConnections();
    }

    /** Its counters, for the metrics ({@link MetricsFeed}). */
    ListenerCounters counters() {
        return counters;
    }

    /** Forking workers of this listener, busy and idle; zeros for the in-process models. */
    int[] workers() {
        SwitchableConcurrency c = concurrency;
        return c == null ? new int[2] : new int[] {c.busyWorkers(), c.idleWorkers()};
    }

    /** When the first served TLS certificate expires (epoch seconds); 0 without TLS. */
    long certificateExpiry() {
        return tls.earliestExpiry();
    }

    ListenerView view(String failure) {
        ListenerSpec s = spec;
        HandlerRevision active = routing.active();
        HandlerView handler = active == null ? null : active.candidate().view(active.openCount());
        List<HandlerView> losers = shadowed.stream().map(c -> c.view(0)).toList();
        List<HandlerView> drainingViews = routing.draining().stream().map(r -> r.candidate().view(r.openCount())).toList();
        String refusing = failure == null && active != null ? admission.refusesEveryone() : null;
        return ListenerView.builder().name(s.name()).endpoint(boundEndpoint != null ? boundEndpoint : s.endpoint().text())
                .state(active != null ? ListenerState.BOUND : ListenerState.WAITING)
                .handler(handler).shadowed(losers).draining(drainingViews)
                .concurrency(active != null && active.protocol() ? "protocol" : s.concurrency().toString())
                .policies(admission.chain().names()).openConnections(openConnections()).accepted(counters.accepted())
                .rejected(counters.rejected()).errors(counters.errors()).drained(counters.drained()).timedOut(counters.timedOut())
                .overdue(counters.overdue()).tlsFailures(counters.tlsFailures()).handlerTimes(counters.durations().countList())
                .bytesIn(counters.bytesIn()).bytesOut(counters.bytesOut())
                .failure(refusing != null ? refusing : failure).reason(refusing != null ? FailureReason.POLICY_MISSING : null).build();
    }
}
