package io.portside.server.runtime;

/**
 * A handler service as a listener sees it.
 *
 * @param name            its {@code portside.handler} name
 * @param bundle          the symbolic name of the bundle that registered it
 * @param version         that bundle's version
 * @param serviceId       its {@code service.id}
 * @param ranking         its {@code service.ranking}
 * @param openConnections requests this revision is serving now
 */
public record HandlerView(String name, String bundle, String version, long serviceId, int ranking, long openConnections) {

    @Override
    public String toString() {
        return name + " (" + bundle + " " + version + ", service " + serviceId + ")";
    }
}
