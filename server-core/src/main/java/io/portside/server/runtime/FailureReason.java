package io.portside.server.runtime;

/**
 * Why a listener is not serving as asked, as a kind; {@link ListenerView#failure()} says the same in the operator's
 * words. New kinds may be added in minor versions: a {@code switch} over it needs a default branch.
 */
public enum FailureReason {
    /** Its configuration is invalid: the endpoint it names stays closed, or it serves its last good configuration. */
    BAD_CONFIGURATION,
    /** Another listener configuration names the same endpoint and came first. */
    ENDPOINT_CONFIGURED_TWICE,
    /** A handler declares a {@code portside.endpoint} that does not parse. */
    BAD_ENDPOINT,
    /** The handler that matches serves streams and the endpoint is a datagram one, or the other way round. */
    TRANSPORT_MISMATCH,
    /** The concurrency model that would serve it is invalid. */
    BAD_CONCURRENCY,
    /** A configured listener waits: no handler matches it. */
    NO_HANDLER,
    /** Its socket could not be bound. */
    BIND_FAILED,
    /** The handler or policy component that would serve it failed to activate. */
    COMPONENT_FAILED,
    /**
     * Its socket is open but it refuses every connection: a policy it requires is not there (fail closed).
     *
     * @since 2.3
     */
    POLICY_MISSING
}
