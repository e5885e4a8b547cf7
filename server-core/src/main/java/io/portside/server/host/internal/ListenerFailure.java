package io.portside.server.host.internal;

import io.portside.server.runtime.FailureReason;
import io.portside.server.runtime.ListenerState;
import io.portside.server.runtime.ListenerView;

/**
 * A listener that has no socket: failed, or configured and waiting for a handler.
 *
 * @param state  {@link ListenerState#FAILED} or {@link ListenerState#WAITING}
 * @param detail the reason in the operator's words
 */
record ListenerFailure(String name, String endpoint, ListenerState state, FailureReason reason, String detail) {

    static ListenerFailure failed(ListenerSpec spec, FailureReason reason, String detail) {
        return failed(spec.name(), spec.endpoint().text(), reason, detail);
    }

    static ListenerFailure failed(String name, String endpoint, FailureReason reason, String detail) {
        return new ListenerFailure(name, endpoint, ListenerState.FAILED, reason, detail);
    }

    static ListenerFailure waiting(ListenerSpec spec, FailureReason reason, String detail) {
        return new ListenerFailure(spec.name(), spec.endpoint().text(), ListenerState.WAITING, reason, detail);
    }

    ListenerView view() {
        return ListenerView.builder().name(name).endpoint(endpoint).state(state).concurrency("-").failure(detail).reason(reason).build();
    }
}
