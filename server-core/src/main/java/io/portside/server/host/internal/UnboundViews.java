package io.portside.server.host.internal;

import java.util.List;

import io.portside.server.runtime.ListenerView;

/** Views of listeners that have no socket: failed, or configured and waiting for a handler. */
final class UnboundViews {

    static final String FAILED = "FAILED";
    static final String WAITING = "WAITING";

    private UnboundViews() {
    }

    static ListenerView failed(ListenerSpec spec, String reason) {
        return failed(spec.name(), spec.endpoint().text(), reason);
    }

    static ListenerView failed(String name, String endpoint, String reason) {
        return of(name, endpoint, FAILED, reason);
    }

    static ListenerView waiting(ListenerSpec spec, String reason) {
        return of(spec.name(), spec.endpoint().text(), WAITING, reason);
    }

    private static ListenerView of(String name, String endpoint, String state, String reason) {
        return new ListenerView(name, endpoint, state, null, List.of(), List.of(), "-", List.of(), 0, 0, 0, 0, 0, 0, 0, reason);
    }
}
