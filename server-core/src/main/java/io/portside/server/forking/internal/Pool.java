package io.portside.server.forking.internal;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Set;

import io.portside.server.forking.HandlerClass;

/** The workers of one handler class; guarded by the supervisor's lock. */
final class Pool {

    final HandlerClass handler;
    /** Idle workers, the most recently used last: it is taken first, so hot (JIT-compiled) workers stay busy. */
    final Deque<WorkerProcess> idle = new ArrayDeque<>();
    final Set<WorkerProcess> all = new LinkedHashSet<>();
    /** Requests waiting for a worker that is starting, oldest first; never more than {@link #starting}. */
    final Deque<Job> pending = new ArrayDeque<>();
    int starting;
    /** No new spares; workers quit once idle. Requests pinned to it are still served. */
    boolean retired;
    /** Why the handler class cannot start in a worker; requests are refused with it. */
    String broken;
    /** Start failures in a row, and when the next start may be tried (a doubling back-off, so a bad launch cannot spin). */
    int failures;
    long nextStartNanos;

    Pool(HandlerClass handler) {
        this.handler = handler;
    }

    String name() {
        String n = handler.className();
        return n.substring(n.lastIndexOf('.') + 1);
    }
}
