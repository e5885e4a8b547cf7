package io.portside.server.host.internal;

import java.io.Closeable;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import io.portside.handler.api.BaseRequestHandler;
import io.portside.handler.api.RequestHandlerFactory;

/**
 * One handler service as it serves one listener: the requests pinned to it, so that they can be counted
 * and, past the drain deadline, closed.
 */
final class HandlerRevision {

    private final HandlerCandidate candidate;
    /** Open connections, which a drain may have to close. */
    private final Set<Closeable> open = ConcurrentHashMap.newKeySet();
    /** Connections this host closed at a drain deadline or a close, so that their handler's failure is no error. */
    private final Set<Closeable> closedByHost = ConcurrentHashMap.newKeySet();
    /** Datagram requests running: there is nothing to close, so they are only counted. */
    private final LongAdder datagrams = new LongAdder();
    private volatile boolean retired;

    HandlerRevision(HandlerCandidate candidate) {
        this.candidate = candidate;
    }

    HandlerCandidate candidate() {
        return candidate;
    }

    int openCount() {
        return open.size() + datagrams.intValue();
    }

    boolean retired() {
        return retired;
    }

    void retire() {
        retired = true;
    }

    /** A fresh handler of this revision. */
    @SuppressWarnings("unchecked")
    <R> BaseRequestHandler<R> newHandler() {
        return ((RequestHandlerFactory<R>) candidate.factory()).newHandler();
    }

    void opened(Object request) {
        if (request instanceof Closeable c) {
            open.add(c);
        } else {
            datagrams.increment();
        }
    }

    void ended(Object request) {
        if (request instanceof Closeable c) {
            open.remove(c);
            closedByHost.remove(c);
        } else {
            datagrams.decrement();
        }
    }

    /** Closes the connections still open on this revision; returns how many. Datagram requests have nothing to close. */
    int closeOpen() {
        int closed = 0;
        for (Closeable c : open) {
            try {
                closedByHost.add(c);
                c.close();
                closed++;
            } catch (IOException ignored) {
                // The connection is gone either way.
            }
        }
        return closed;
    }

    /** True if this host closed the request's connection (drain deadline, listener close) while it ran. */
    boolean closedByHost(Object request) {
        return request instanceof Closeable c && closedByHost.contains(c);
    }

    @Override
    public String toString() {
        return candidate.toString();
    }
}
