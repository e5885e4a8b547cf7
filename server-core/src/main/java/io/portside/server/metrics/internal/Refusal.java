package io.portside.server.metrics.internal;

/**
 * Why the host refused a connection or datagram before (or instead of) its handler: the {@code reason} label of
 * {@code portside_listener_refusals_total}. Every refusal counted in the runtime view's {@code rejected} has one.
 */
public enum Refusal {
    /** A request policy said no. */
    POLICY("policy"),
    /** Over the listener's {@code max.connections}. */
    CONNECTION_LIMIT("connection_limit"),
    /** The host's descriptor budget for all listeners was spent. */
    DESCRIPTOR_BUDGET("descriptor_budget"),
    /** A listener that takes PROXY headers refused a peer outside {@code proxy.trusted}. */
    UNTRUSTED_PROXY("untrusted_proxy"),
    /** A PROXY protocol header that was missing, malformed or late. */
    PROXY_HEADER("proxy_header"),
    /** The concurrency model could not take it: a full pool, no worker in time, a closed model. */
    MODEL_FULL("model_full"),
    /** Interrupted while waiting for a policy being replaced (the listener was closing). */
    POLICY_GAP("policy_gap"),
    /** An event-driven protocol could not take it: a TLS listener, or its protocol could not be made or registered. */
    PROTOCOL_UNSERVED("protocol_unserved");

    private final String label;

    Refusal(String label) {
        this.label = label;
    }

    /** The label value: lower case, stable across releases. */
    public String label() {
        return label;
    }
}
