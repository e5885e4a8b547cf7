package io.portside.handler.api;

/** Names of the service properties the host reads from handler and policy services. */
public final class PortsideProperties {

    /** The handler's name (String). */
    public static final String HANDLER = "portside.handler";
    /** Where the handler wants to be served (String or String[]), see {@link HandlerEndpoint}. */
    public static final String ENDPOINT = "portside.endpoint";
    /** The concurrency model (String), see {@link Concurrency}. */
    public static final String CONCURRENCY = "portside.concurrency";
    /**
     * The handler's default connection limit (Integer, or String of digits; 0 for none): how many connections a stream
     * listener it serves holds at once, used when the listener's configuration does not set {@code max.connections}.
     * Over the limit a connection is accepted and closed at once.
     *
     * @since 1.3
     */
    public static final String MAX_CONNECTIONS = "portside.max.connections";
    /** A policy's name (String), see {@link PolicyName}. */
    public static final String POLICY = "portside.policy";

    private PortsideProperties() {
    }
}
