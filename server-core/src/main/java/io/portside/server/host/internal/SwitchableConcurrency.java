package io.portside.server.host.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.portside.handler.api.Concurrency;
import io.portside.server.concurrency.ConcurrencyModel;
import io.portside.server.concurrency.TransferredRequest;

/**
 * A listener's concurrency model, replaceable while the server runs: new requests go to the new model, requests
 * already running finish in the old one. A handler that declares another model therefore never costs the
 * listener its socket.
 */
final class SwitchableConcurrency implements ConcurrencyModel {

    private volatile ConcurrencyModel current;
    private final List<ConcurrencyModel> retired = new CopyOnWriteArrayList<>();

    SwitchableConcurrency(ConcurrencyModel initial) {
        this.current = initial;
    }

    /** Sends new requests to {@code next}; the previous model stops taking work and is released once idle. */
    void switchTo(ConcurrencyModel next) {
        ConcurrencyModel previous = current;
        current = next;
        previous.close();
        retired.add(previous);
        retired.removeIf(m -> m.activeCount() == 0);
    }

    @Override
    public Concurrency kind() {
        return current.kind();
    }

    @Override
    public boolean isInline() {
        return current.isInline();
    }

    @Override
    public void execute(Runnable requestWork) {
        current.execute(requestWork);
    }

    /** Always true: a request goes to whichever model is current, which runs it in a thread or transfers it. */
    @Override
    public boolean transfersRequests() {
        return true;
    }

    @Override
    public void transfer(TransferredRequest request) {
        current.transfer(request);
    }

    /** A new handler revision is active: a forking model starts its workers. */
    void activated(HandlerRevision revision) {
        if (current instanceof ForkingConcurrency forking) {
            forking.activated(revision);
        }
    }

    /** Waits (bounded) until the worker processes of forking models, current and retired, have exited. */
    void awaitTermination(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        for (ConcurrencyModel m : all()) {
            if (m instanceof ForkingConcurrency forking) {
                forking.awaitTermination(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            }
        }
    }

    private List<ConcurrencyModel> all() {
        List<ConcurrencyModel> all = new java.util.ArrayList<>(retired);
        all.add(current);
        return all;
    }

    @Override
    public int activeCount() {
        int n = current.activeCount();
        for (ConcurrencyModel m : retired) {
            n += m.activeCount();
        }
        return n;
    }

    @Override
    public void close() {
        current.close();
        for (ConcurrencyModel m : retired) {
            m.close();
        }
    }

    @Override
    public String toString() {
        return current.toString();
    }
}
