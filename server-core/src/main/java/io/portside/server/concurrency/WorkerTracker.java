package io.portside.server.concurrency;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The threads a model must wait for on close (Python's {@code _Threads}). A thread removes itself when its
 * request ends, so the set holds only running work and never grows without bound (bpo-37193).
 */
final class WorkerTracker {

    private final Set<Thread> running = ConcurrentHashMap.newKeySet();

    /** Wraps {@code work} so its thread is tracked while it runs. */
    Runnable track(Runnable work) {
        return () -> {
            Thread self = Thread.currentThread();
            running.add(self);
            try {
                work.run();
            } finally {
                running.remove(self);
            }
        };
    }

    int size() {
        return running.size();
    }

    /** Joins every tracked thread except the caller (Python would fail with "cannot join current thread"). */
    void joinAll() {
        Thread self = Thread.currentThread();
        List<Thread> snapshot = new ArrayList<>(running);
        for (Thread t : snapshot) {
            if (t == self) {
                continue;
            }
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
