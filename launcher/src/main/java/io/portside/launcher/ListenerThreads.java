package io.portside.launcher;

/**
 * Which listener a thread serves, read from its name. The host names its threads (server-core's
 * {@code io.portside.server.concurrency.ThreadNames} and {@code Listener}):
 * <ul>
 * <li>{@code portside-<listener>-threading-<n>}, {@code portside-<listener>-virtual-<n>},
 * {@code portside-<listener>-pool-<n>}: a request thread;</li>
 * <li>{@code portside-listener-<listener>}: the listener's serving thread, which also runs synchronous requests.</li>
 * </ul>
 * The name is the only thing shared: the launcher's class path and the host's bundles have no class in common.
 */
final class ListenerThreads {

    private static final String PREFIX = "portside-";
    private static final String SERVING = "portside-listener-";
    private static final String[] MODELS = {"-threading-", "-virtual-", "-pool-"};

    private ListenerThreads() {
    }

    /** The listener {@code threadName} serves, or {@code null} for any other thread. */
    static String listenerOf(String threadName) {
        if (threadName == null || !threadName.startsWith(PREFIX)) {
            return null;
        }
        int digits = threadName.length();
        while (digits > 0 && Character.isDigit(threadName.charAt(digits - 1))) {
            digits--;
        }
        if (digits < threadName.length()) {
            for (String model : MODELS) {
                int start = digits - model.length();
                // start > PREFIX.length(): a plain server's "portside-threading-7" names no listener
                if (start > PREFIX.length() && threadName.startsWith(model, start)) {
                    return threadName.substring(PREFIX.length(), start);
                }
            }
        }
        if (threadName.startsWith(SERVING) && threadName.length() > SERVING.length()) {
            return threadName.substring(SERVING.length());
        }
        return null;
    }
}
