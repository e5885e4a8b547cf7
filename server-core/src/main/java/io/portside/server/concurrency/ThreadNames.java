package io.portside.server.concurrency;

/**
 * Names of request threads. A hosted listener's threads carry its name, {@code portside-<listener>-<model>-<n>}, so
 * whoever reads a log line (or a thread dump) can tell which listener a handler's thread was serving; the launcher's
 * log limiter relies on exactly this shape. Threads of a plain server keep {@code portside-<model>-<n>}.
 */
final class ThreadNames {

    private ThreadNames() {
    }

    /** The name up to the thread's number, built once per model so that a request costs no more than before. */
    static String prefix(String listener, String model) {
        return listener == null ? "portside-" + model + "-" : "portside-" + listener + "-" + model + "-";
    }
}
