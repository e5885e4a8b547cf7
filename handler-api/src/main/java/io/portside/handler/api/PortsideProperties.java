package io.portside.handler.api;

/** Names of the service properties the host reads from handler and policy services. */
public final class PortsideProperties {

    /** The handler's name (String). */
    public static final String HANDLER = "portside.handler";
    /** Where the handler wants to be served (String or String[]), see {@link HandlerEndpoint}. */
    public static final String ENDPOINT = "portside.endpoint";
    /** The concurrency model (String), see {@link Concurrency}. */
    public static final String CONCURRENCY = "portside.concurrency";
    /** A policy's name (String), see {@link PolicyName}. */
    public static final String POLICY = "portside.policy";

    private PortsideProperties() {
    }
}
