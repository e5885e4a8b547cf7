package io.portside.server.host.internal;

import java.util.List;

import io.portside.server.runtime.FailureReason;

/**
 * What one endpoint should have: the spec with its concurrency settled, the handler that serves it (null: none
 * matches), the handlers it shadows and the policies it consults.
 */
record DesiredListener(ListenerSpec spec, HandlerCandidate winner, List<HandlerCandidate> shadowed, PolicyChain chain) {

    DesiredListener {
        shadowed = List.copyOf(shadowed);
    }

    /** What to show while it has no socket and no handler: a configured listener waits, a handler's own one is just gone. */
    ListenerFailure waitingWithoutSocket() {
        return winner == null && spec.explicit()
                ? ListenerFailure.waiting(spec, FailureReason.NO_HANDLER, "no handler matches " + spec.handlerFilter())
                : null;
    }
}
