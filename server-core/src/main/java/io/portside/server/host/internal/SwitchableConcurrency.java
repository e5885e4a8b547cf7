package io.portside.server.host.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A listener's concurrency model, replaceable while the server runs: new connections go to the new model, running
 * ones finish in the old one. A handler that declares another model therefore never costs the listener its socket.
 */
final class SwitchableConcurrency implements HostedConcurrency {

    private volatile HostedConcurrency current;
    private final List<HostedConcurrency> retired = new CopyOnWriteArrayList<>();

    SwitchableConcurrency(HostedConcurrency initial) {
        this.current = initial;
    }

    /** Sends new connections to {@code next}; the previous model stops taking work and is released once idle. */
    void switchTo(HostedConcurrency next) {
        HostedConcurrency previous = current;
        current = next;
        previous.close();
        retired.add(previous);
        retired.removeIf(m -> m.activeCount() == 0);
    }

    @Override
    public void dispatch(Connection c) {
        current.dispatch(c);
    }

    @Override
    public void activated(HandlerRevision revision) {
        current.activated(revision);
    }

    /** Waits (bounded) until the worker processes of every model, current and retired, have exited. */
    @Override
    public boolean awaitTermination(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        boolean all = true;
        for (HostedConcurrency m : all()) {
            all &= m.awaitTermination(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
        }
        return all;
    }

    private List<HostedConcurrency> all() {
        List<HostedConcurrency> all = new ArrayList<>(retired);
        all.add(current);
        return all;
    }

    @Override
    public int busyWorkers() {
        return all().stream().mapToInt(HostedConcurrency::busyWorkers).sum();
    }

    @Override
    public int idleWorkers() {
        return all().stream().mapToInt(HostedConcurrency::idleWorkers).sum();
    }

    @Override
    public int activeCount() {
        int n = 0;
        for (HostedConcurrency m : all()) {
            n += m.activeCount();
        }
        return n;
    }

    @Override
    public void close() {
        for (HostedConcurrency m : all()) {
            m.close();
        }
    }

    @Override
    public String toString() {
        return current.toString();
    }
}
