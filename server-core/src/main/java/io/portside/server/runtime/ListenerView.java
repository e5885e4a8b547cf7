package io.portside.server.runtime;

import java.util.List;

/**
 * One listener, as seen at one moment.
 *
 * @param name            the listener's name (the handler's name, or the configuration's)
 * @param endpoint        where it listens, e.g. {@code tcp://127.0.0.1:9999}
 * @param state           {@code BOUND}; {@code WAITING} (no handler: either the socket is held open in the gap, or a
 *                        configured listener has no socket yet because no handler matches); or {@code FAILED}
 * @param handler         the active handler revision, or {@code null}
 * @param shadowed        handlers that also asked for this endpoint but lost to the active one
 * @param draining        replaced revisions whose pinned requests are still running
 * @param concurrency     the concurrency model, e.g. {@code virtual}
 * @param policies        names of the policies consulted for each request
 * @param openConnections requests running now, over all revisions
 * @param accepted        requests taken since the listener was bound
 * @param rejected        requests refused by a policy or a full pool
 * @param errors          requests whose handler raised an exception
 * @param drained         old-revision requests closed at the drain deadline
 * @param bytesIn         bytes received in requests that have ended (stream connections and datagrams)
 * @param bytesOut        bytes sent by stream connections that have ended (datagram replies are not counted)
 * @param failure         why the listener is not serving, or {@code null}
 */
public record ListenerView(String name, String endpoint, String state, HandlerView handler, List<HandlerView> shadowed,
        List<HandlerView> draining, String concurrency, List<String> policies, long openConnections, long accepted, long rejected, long errors,
        long drained, long bytesIn, long bytesOut, String failure) {
}
