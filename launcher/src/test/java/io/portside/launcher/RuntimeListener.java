package io.portside.launcher;

import java.util.List;
import java.util.Map;

/**
 * One listener as the host's exported runtime view shows it ({@code io.portside.server.runtime.ListenerView}), read
 * from the {@code portside:json} command by its JSON names, so that the tests depend on the published view and not on
 * the classes behind it.
 */
record RuntimeListener(String name, String endpoint, String state, Handler handler, List<Handler> shadowed, List<Handler> draining,
        String concurrency, List<String> policies, long openConnections, long accepted, long rejected, long errors, long drained,
        long timedOut, long overdue, long tlsFailures, long bytesIn, long bytesOut, String failure) {

    static final String BOUND = "BOUND";
    static final String WAITING = "WAITING";
    static final String FAILED = "FAILED";

    /** A handler revision as a listener sees it. */
    record Handler(String name, String bundle, String version, long serviceId, int ranking, long openConnections) {

        static Handler of(Object json) {
            if (json == null) {
                return null;
            }
            Map<?, ?> m = (Map<?, ?>) json;
            return new Handler((String) m.get("name"), (String) m.get("bundle"), (String) m.get("version"),
                    number(m, "serviceId"), (int) number(m, "ranking"), number(m, "openConnections"));
        }
    }

    /** The whole view: {@code changeCount} and every listener, as {@code portside:json} prints it. */
    record Snapshot(long changeCount, List<RuntimeListener> listeners) {

        static Snapshot parse(String json) {
            Map<?, ?> m = (Map<?, ?>) JsonReader.parse(json);
            List<RuntimeListener> listeners = ((List<?>) m.get("listeners")).stream().map(RuntimeListener::of).toList();
            return new Snapshot(number(m, "changeCount"), listeners);
        }

        /** The first listener called {@code name}, or null. */
        RuntimeListener named(String name) {
            return listeners.stream().filter(l -> l.name().equals(name)).findFirst().orElse(null);
        }
    }

    static RuntimeListener of(Object json) {
        Map<?, ?> m = (Map<?, ?>) json;
        return new RuntimeListener((String) m.get("name"), (String) m.get("endpoint"), (String) m.get("state"),
                Handler.of(m.get("handler")), handlers(m.get("shadowed")), handlers(m.get("draining")), (String) m.get("concurrency"),
                ((List<?>) m.get("policies")).stream().map(String.class::cast).toList(), number(m, "openConnections"),
                number(m, "accepted"), number(m, "rejected"), number(m, "errors"), number(m, "drained"), number(m, "timedOut"),
                number(m, "overdue"), number(m, "tlsFailures"), number(m, "bytesIn"),
                number(m, "bytesOut"), (String) m.get("failure"));
    }

    boolean bound() {
        return BOUND.equals(state);
    }

    boolean failed() {
        return FAILED.equals(state);
    }

    boolean waiting() {
        return WAITING.equals(state);
    }

    /**
     * Handler gone, socket still held for a replacement (the gap): waiting, with no failure. A configured listener whose
     * socket was closed for want of a handler is waiting too, but says why in {@code failure}.
     */
    boolean inGap() {
        return waiting() && handler == null && failure == null;
    }

    /** A configured listener with no socket because no handler matches (after its gap ran out, or before any came). */
    boolean unboundForWantOfAHandler() {
        return waiting() && failure != null && failure.startsWith("no handler matches");
    }

    /** True when {@code failure} is set and {@code regex} is found in it. */
    boolean failureMatches(String regex) {
        return failure != null && java.util.regex.Pattern.compile(regex).matcher(failure).find();
    }

    /** The port of a {@code tcp://} or {@code udp://} endpoint. */
    int port() {
        return Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
    }

    /** Bound, serving a handler of this name from a bundle of this version. */
    boolean serves(String handlerName, String version) {
        return bound() && handler != null && handler.name().equals(handlerName) && handler.version().equals(version);
    }

    /** The active handler's bundle version, or null. */
    String handlerVersion() {
        return handler == null ? null : handler.version();
    }

    private static List<Handler> handlers(Object json) {
        return ((List<?>) json).stream().map(Handler::of).toList();
    }

    private static long number(Map<?, ?> m, String key) {
        return ((Number) m.get(key)).longValue();
    }
}
