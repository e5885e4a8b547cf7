package io.portside.server;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** What a test server's handleError saw (CPython's test servers re-raise instead; we record and assert). */
final class Errors {

    private final List<Throwable> seen = new CopyOnWriteArrayList<>();
    private final CountDownLatch first = new CountDownLatch(1);

    void add(Throwable error) {
        seen.add(error);
        first.countDown();
    }

    List<Throwable> all() {
        return List.copyOf(seen);
    }

    /** Waits (bounded) for the first report; workers report on their own threads. */
    Throwable awaitFirst() throws InterruptedException {
        if (!first.await(10, TimeUnit.SECONDS)) {
            throw new AssertionError("handleError was never called");
        }
        return seen.get(0);
    }

    void assertNone() {
        if (!seen.isEmpty()) {
            AssertionError failure = new AssertionError("handleError was called " + seen.size() + " time(s)");
            seen.forEach(failure::addSuppressed);
            throw failure;
        }
    }
}
