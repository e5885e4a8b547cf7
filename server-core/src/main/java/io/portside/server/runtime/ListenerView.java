package io.portside.server.runtime;

import java.util.List;
import java.util.Objects;

/**
 * One listener, as seen at one moment. Immutable; built with {@link #builder()}, so that a new field is one more
 * accessor and one more builder method, and no caller breaks.
 */
public final class ListenerView {

    private final String name;
    private final String endpoint;
    private final ListenerState state;
    private final HandlerView handler;
    private final List<HandlerView> shadowed;
    private final List<HandlerView> draining;
    private final String concurrency;
    private final List<String> policies;
    private final long openConnections;
    private final long accepted;
    private final long rejected;
    private final long errors;
    private final long drained;
    private final long timedOut;
    private final long overdue;
    private final long tlsFailures;
    private final List<Long> handlerTimes;
    private final long bytesIn;
    private final long bytesOut;
    private final String failure;
    private final FailureReason reason;

    private ListenerView(Builder b) {
        this.name = Objects.requireNonNull(b.name, "name");
        this.endpoint = Objects.requireNonNull(b.endpoint, "endpoint");
        this.state = Objects.requireNonNull(b.state, "state");
        this.handler = b.handler;
        this.shadowed = List.copyOf(b.shadowed);
        this.draining = List.copyOf(b.draining);
        this.concurrency = b.concurrency;
        this.policies = List.copyOf(b.policies);
        this.openConnections = b.openConnections;
        this.accepted = b.accepted;
        this.rejected = b.rejected;
        this.errors = b.errors;
        this.drained = b.drained;
        this.timedOut = b.timedOut;
        this.overdue = b.overdue;
        this.tlsFailures = b.tlsFailures;
        this.handlerTimes = List.copyOf(b.handlerTimes);
        this.bytesIn = b.bytesIn;
        this.bytesOut = b.bytesOut;
        this.failure = b.failure;
        this.reason = b.reason;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this view's values, to change some of them. */
    public Builder toBuilder() {
        return new Builder().name(name).endpoint(endpoint).state(state).handler(handler).shadowed(shadowed).draining(draining)
                .concurrency(concurrency).policies(policies).openConnections(openConnections).accepted(accepted).rejected(rejected)
                .errors(errors).drained(drained).timedOut(timedOut).overdue(overdue).tlsFailures(tlsFailures).handlerTimes(handlerTimes).bytesIn(bytesIn).bytesOut(bytesOut).failure(failure).reason(reason);
    }

    /** The listener's name (the handler's name, or the configuration's). */
    public String name() {
        return name;
    }

    /** Where it listens, e.g. {@code tcp://127.0.0.1:9999}. */
    public String endpoint() {
        return endpoint;
    }

    public ListenerState state() {
        return state;
    }

    /** The active handler revision, or {@code null}. */
    public HandlerView handler() {
        return handler;
    }

    /** Handlers that also asked for this endpoint but lost to the active one. */
    public List<HandlerView> shadowed() {
        return shadowed;
    }

    /** Replaced revisions whose pinned requests are still running. */
    public List<HandlerView> draining() {
        return draining;
    }

    /** The concurrency model, e.g. {@code virtual}; {@code -} when it has none. */
    public String concurrency() {
        return concurrency;
    }

    /** Names of the policies consulted for each request. */
    public List<String> policies() {
        return policies;
    }

    /** Requests running now, over all revisions. */
    public long openConnections() {
        return openConnections;
    }

    /** Requests taken since the listener was bound. */
    public long accepted() {
        return accepted;
    }

    /** Requests refused by a policy or a full pool. */
    public long rejected() {
        return rejected;
    }

    /** Requests whose handler raised an exception. */
    public long errors() {
        return errors;
    }

    /** Old-revision requests closed at the drain deadline. */
    public long drained() {
        return drained;
    }

    /**
     * Connections the host closed at one of the listener's client time limits ({@code idle.timeout},
     * {@code first.byte.timeout}, {@code write.timeout}).
     *
     * @since 2.1
     */
    public long timedOut() {
        return timedOut;
    }

    /**
     * Requests the watchdog closed at {@code request.deadline}: their handler ran that long without waiting on its client.
     *
     * @since 2.1
     */
    public long overdue() {
        return overdue;
    }

    /**
     * Connections closed because their TLS handshake failed (a plaintext client, an unknown CA, no common protocol, too
     * slow).
     *
     * @since 2.2
     */
    public long tlsFailures() {
        return tlsFailures;
    }

    /**
     * The upper bounds, in seconds, of the buckets of {@link #handlerTimes()}: from half a millisecond (an echo) to a
     * minute (a file transfer); one more bucket, above the last bound, is implied.
     *
     * @since 2.3
     */
    public static final List<Double> HANDLER_TIME_BOUNDS = List.of(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
            1.0, 2.5, 5.0, 10.0, 30.0, 60.0);

    /**
     * How long the handlers of the requests that have ended ran (from setup to the end of finish; on a forking listener
     * from accept to the worker's report), as counts per bucket of
     * {@link #HANDLER_TIME_BOUNDS} (not cumulative; the last count is for those above every bound); empty when not
     * known. The difference of two views is the histogram of the requests between them.
     *
     * @since 2.3
     */
    public List<Long> handlerTimes() {
        return handlerTimes;
    }

    /** Bytes received in requests that have ended (stream connections and datagrams). */
    public long bytesIn() {
        return bytesIn;
    }

    /**
     * Bytes sent by requests that have ended: written to stream connections, and the replies of datagram handlers that
     * run in the host (a forking listener's workers send theirs uncounted).
     */
    public long bytesOut() {
        return bytesOut;
    }

    /** Why the listener is not serving (or serves an older configuration), in the operator's words; or {@code null}. */
    public String failure() {
        return failure;
    }

    /** The kind of {@link #failure()}, or {@code null} when there is none. */
    public FailureReason reason() {
        return reason;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ListenerView v && name.equals(v.name) && endpoint.equals(v.endpoint) && state == v.state
                && Objects.equals(handler, v.handler) && shadowed.equals(v.shadowed) && draining.equals(v.draining)
                && Objects.equals(concurrency, v.concurrency) && policies.equals(v.policies) && openConnections == v.openConnections
                && accepted == v.accepted && rejected == v.rejected && errors == v.errors && drained == v.drained
                && timedOut == v.timedOut && overdue == v.overdue && tlsFailures == v.tlsFailures && handlerTimes.equals(v.handlerTimes)
                && bytesIn == v.bytesIn && bytesOut == v.bytesOut && Objects.equals(failure, v.failure) && reason == v.reason;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, endpoint, state, handler, shadowed, draining, concurrency, policies, openConnections, accepted,
                rejected, errors, drained, timedOut, overdue, tlsFailures, handlerTimes, bytesIn, bytesOut, failure, reason);
    }

    @Override
    public String toString() {
        return "ListenerView[name=" + name + ", endpoint=" + endpoint + ", state=" + state + ", handler=" + handler + ", shadowed="
                + shadowed + ", draining=" + draining + ", concurrency=" + concurrency + ", policies=" + policies + ", openConnections="
                + openConnections + ", accepted=" + accepted + ", rejected=" + rejected + ", errors=" + errors + ", drained=" + drained + ", timedOut=" + timedOut + ", overdue=" + overdue + ", tlsFailures=" + tlsFailures
                + ", bytesIn=" + bytesIn + ", bytesOut=" + bytesOut + ", failure=" + failure + ", reason=" + reason + "]";
    }

    /** Collects a view's values; {@code name}, {@code endpoint} and {@code state} are required, the rest are optional. */
    public static final class Builder {
        private String name;
        private String endpoint;
        private ListenerState state;
        private HandlerView handler;
        private List<HandlerView> shadowed = List.of();
        private List<HandlerView> draining = List.of();
        private String concurrency = "-";
        private List<String> policies = List.of();
        private long openConnections;
        private long accepted;
        private long rejected;
        private long errors;
        private long drained;
        private long timedOut;
        private long overdue;
        private long tlsFailures;
        private List<Long> handlerTimes = List.of();
        private long bytesIn;
        private long bytesOut;
        private String failure;
        private FailureReason reason;

        private Builder() {
        }

        public Builder name(String value) {
            name = value;
            return this;
        }

        public Builder endpoint(String value) {
            endpoint = value;
            return this;
        }

        public Builder state(ListenerState value) {
            state = value;
            return this;
        }

        public Builder handler(HandlerView value) {
            handler = value;
            return this;
        }

        public Builder shadowed(List<HandlerView> value) {
            shadowed = value;
            return this;
        }

        public Builder draining(List<HandlerView> value) {
            draining = value;
            return this;
        }

        public Builder concurrency(String value) {
            concurrency = value;
            return this;
        }

        public Builder policies(List<String> value) {
            policies = value;
            return this;
        }

        public Builder openConnections(long value) {
            openConnections = value;
            return this;
        }

        public Builder accepted(long value) {
            accepted = value;
            return this;
        }

        public Builder rejected(long value) {
            rejected = value;
            return this;
        }

        public Builder errors(long value) {
            errors = value;
            return this;
        }

        public Builder drained(long value) {
            drained = value;
            return this;
        }

        /** @since 2.1 */
        public Builder timedOut(long value) {
            timedOut = value;
            return this;
        }

        /** @since 2.1 */
        public Builder overdue(long value) {
            overdue = value;
            return this;
        }

        /** @since 2.2 */
        public Builder tlsFailures(long value) {
            tlsFailures = value;
            return this;
        }

        /** @since 2.3 */
        public Builder handlerTimes(List<Long> value) {
            handlerTimes = value;
            return this;
        }

        public Builder bytesIn(long value) {
            bytesIn = value;
            return this;
        }

        public Builder bytesOut(long value) {
            bytesOut = value;
            return this;
        }

        public Builder failure(String value) {
            failure = value;
            return this;
        }

        public Builder reason(FailureReason value) {
            reason = value;
            return this;
        }

        public ListenerView build() {
            return new ListenerView(this);
        }
    }
}
