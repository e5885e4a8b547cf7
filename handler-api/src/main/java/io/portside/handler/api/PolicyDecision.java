package io.portside.handler.api;

import java.util.Objects;

/**
 * A {@link RequestPolicy}'s answer. An acceptance may carry a callback that the host runs exactly once when
 * the request has ended (the connection closed, or the datagram handled), so that limits can be released.
 */
public final class PolicyDecision {

    private static final PolicyDecision ACCEPT = new PolicyDecision(true, null, null);

    private final boolean accepted;
    private final String reason;
    private final Runnable onRequestEnd;

    private PolicyDecision(boolean accepted, String reason, Runnable onRequestEnd) {
        this.accepted = accepted;
        this.reason = reason;
        this.onRequestEnd = onRequestEnd;
    }

    /** Serve the request. */
    public static PolicyDecision accept() {
        return ACCEPT;
    }

    /** Serve the request, and run {@code onRequestEnd} once when it has ended. */
    public static PolicyDecision accept(Runnable onRequestEnd) {
        return new PolicyDecision(true, null, Objects.requireNonNull(onRequestEnd, "onRequestEnd"));
    }

    /** Refuse the request: the connection is closed in an orderly way, or the datagram dropped. */
    public static PolicyDecision reject(String reason) {
        return new PolicyDecision(false, Objects.requireNonNull(reason, "reason"), null);
    }

    public boolean accepted() {
        return accepted;
    }

    /** Why the request was rejected; {@code null} when accepted. */
    public String reason() {
        return reason;
    }

    /** The callback to run when an accepted request has ended; {@code null} if there is none. */
    public Runnable onRequestEnd() {
        return onRequestEnd;
    }

    @Override
    public String toString() {
        return accepted ? "accept" : "reject(" + reason + ")";
    }
}
