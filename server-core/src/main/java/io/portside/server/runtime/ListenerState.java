package io.portside.server.runtime;

/** Where a listener stands. */
public enum ListenerState {
    /** Its socket is open and a handler serves it. */
    BOUND,
    /**
     * No handler serves it: either the socket is held open in the gap while a replacement may come, or a configured
     * listener has no socket yet because no handler matches.
     */
    WAITING,
    /** It does not serve, for the {@link ListenerView#reason() reason} shown. */
    FAILED
}
