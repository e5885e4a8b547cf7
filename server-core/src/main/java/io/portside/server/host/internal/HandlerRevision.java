package io.portside.server.host.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import io.portside.handler.api.BaseRequestHandler;
import io.portside.handler.api.RequestHandlerFactory;
import io.portside.handler.api.StreamProtocol;
import io.portside.handler.api.StreamProtocolFactory;

/**
 * One handler service as it serves one listener: the connections running on it, so that they can be counted and,
 * past the drain deadline, closed.
 */
final class HandlerRevision {

    private final HandlerCandidate candidate;
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();

    HandlerRevision(HandlerCandidate candidate) {
        this.candidate = candidate;
    }

    HandlerCandidate candidate() {
        return candidate;
    }

    /** Connections and datagrams running on it now. */
    int openCount() {
        return open.size();
    }

    /** True when its handler is an event-driven protocol: connections are served on the listener's loops. */
    boolean protocol() {
        return candidate.protocol();
    }

    /** A fresh protocol of this revision (only when {@link #protocol()}). */
    StreamProtocol newProtocol() {
        return ((StreamProtocolFactory) candidate.factory()).newProtocol();
    }

    /** A fresh handler of this revision. */
    @SuppressWarnings("unchecked")
    <R> BaseRequestHandler<R> newHandler() {
        return ((RequestHandlerFactory<R>) candidate.factory()).newHandler();
    }

    void opened(Connection c) {
        open.add(c);
    }

    void ended(Connection c) {
        open.remove(c);
    }

    /** Goes over the connections and datagrams running on it now (weakly consistent, as its set). */
    void forEachOpen(Consumer<Connection> action) {
        open.forEach(action);
    }

    /** Closes the connections still open on it; returns how many (datagrams have nothing to close). */
    int closeOpen() {
        int closed = 0;
        for (Connection c : open) {
            if (c.closeByHost()) {
                closed++;
            }
        }
        return closed;
    }

    @Override
    public String toString() {
        return candidate.toString();
    }
}
