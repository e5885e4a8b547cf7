package io.portside.server.host.internal;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import io.portside.handler.api.SwapState;

/**
 * Carries a handler's state from the revision leaving a listener to the one taking its place ({@link SwapState}):
 * {@code handOverState()} on the outgoing one, then {@code takeOverState(...)} on the incoming one, before the incoming
 * one is given a connection. Fail safe: a call that throws or hangs is one log line, and the new revision starts with
 * the state it has; the swap goes on either way.
 */
final class StateHandOver {

    /** What happened to the state at one activation. */
    enum Outcome {
        /** No predecessor, another handler name, the same service again, or one side does not implement it. */
        NOT_APPLICABLE,
        /** The predecessor handed over null. */
        NOTHING_HANDED_OVER,
        HANDED_OVER,
        HAND_OVER_FAILED,
        TAKE_OVER_FAILED,
        /** The two calls did not finish within {@link #LIMIT}; they may still finish in the background. */
        TIMED_OUT
    }

    /** How long the two calls together may hold up the activation (connections wait in the gap meanwhile). */
    static final Duration LIMIT = Duration.ofSeconds(2);

    private static final System.Logger LOG = System.getLogger("io.portside.host");

    private final Supplier<String> listenerName;
    private final Duration limit;

    StateHandOver(Supplier<String> listenerName) {
        this(listenerName, LIMIT);
    }

    StateHandOver(Supplier<String> listenerName, Duration limit) {
        this.listenerName = Objects.requireNonNull(listenerName);
        this.limit = limit;
    }

    /** Moves the state from {@code predecessor} (null for a first revision) to {@code incoming}. */
    Outcome carry(HandlerRevision predecessor, HandlerCandidate incoming) {
        if (predecessor == null || !applies(predecessor.candidate(), incoming)) {
            return Outcome.NOT_APPLICABLE;
        }
        SwapState<?> from = (SwapState<?>) predecessor.candidate().factory();
        SwapState<?> to = (SwapState<?>) incoming.factory();
        FutureTask<Outcome> calls = new FutureTask<>(() -> move(from, to, predecessor.candidate(), incoming));
        Thread worker = Thread.ofVirtual().name("portside-state-" + listenerName.get()).start(calls);
        try {
            return calls.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            worker.interrupt();
            warn(incoming, "handing it over from " + predecessor.candidate() + " took more than " + limit.toMillis() + " ms");
            return Outcome.TIMED_OUT;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.TIMED_OUT;
        } catch (ExecutionException e) { // move() catches what the handler throws: this is not expected
            warn(incoming, "handing it over failed: " + e.getCause());
            return Outcome.HAND_OVER_FAILED;
        }
    }

    /** Same handler name, another service object, and both implement {@link SwapState}. */
    private static boolean applies(HandlerCandidate outgoing, HandlerCandidate incoming) {
        return outgoing.factory() != incoming.factory() && outgoing.name().equals(incoming.name())
                && outgoing.factory() instanceof SwapState<?> && incoming.factory() instanceof SwapState<?>;
    }

    private Outcome move(SwapState<?> from, SwapState<?> to, HandlerCandidate outgoing, HandlerCandidate incoming) {
        Object state;
        try {
            state = from.handOverState();
        } catch (RuntimeException | Error e) {
            warn(incoming, "handOverState() of " + outgoing + " threw " + e);
            return Outcome.HAND_OVER_FAILED;
        }
        if (state == null) {
            return Outcome.NOTHING_HANDED_OVER;
        }
        try {
            to.takeOverState(state);
        } catch (RuntimeException | Error e) {
            warn(incoming, "its takeOverState(" + state.getClass().getName() + ") threw " + e);
            return Outcome.TAKE_OVER_FAILED;
        }
        LOG.log(Level.INFO, "Listener {0}: state of {1} handed over to {2}", listenerName.get(), outgoing, incoming);
        return Outcome.HANDED_OVER;
    }

    private void warn(HandlerCandidate incoming, String why) {
        LOG.log(Level.WARNING, "Listener {0}: {1} starts without its predecessor''s state: {2}", listenerName.get(), incoming, why);
    }
}
