package io.portside.server.host.internal;

import java.lang.System.Logger.Level;
import java.text.MessageFormat;
import java.util.HashMap;
import java.util.Map;

import io.portside.server.runtime.ListenerState;

/**
 * The whiteboard's log of listener changes: each subject (a listener's endpoint, or the failure of a listener) logs a
 * message once; the same message for the same subject is not repeated on every reconcile. Loop thread only.
 */
final class ChangeLog {

    private static final System.Logger LOG = System.getLogger("io.portside.host");

    /** What {@link #report} logs about a listener, by name: that it failed, that it waits, or its configuration problem. */
    private enum Topic { FAILED, WAITING, CONFIG }

    private record Reported(Topic topic, String name) {
    }

    /** By subject (an endpoint key, or a {@link Reported}), the last message logged. */
    private final Map<Object, String> last = new HashMap<>();

    void info(String subject, String format, Object... args) {
        log(subject, Level.INFO, format, args);
    }

    /** Forgets a subject, so that its next message is logged even if it repeats the last one. */
    void forget(String subject) {
        last.remove(subject);
    }

    /**
     * Logs each failed or waiting listener, and each listener serving a last good configuration, once per distinct
     * reason; forgets those that are fine again, so that a recurrence is logged anew.
     */
    void report(Map<String, ListenerFailure> failures, Map<String, String> configProblems) {
        for (ListenerFailure f : failures.values()) {
            if (f.state() == ListenerState.WAITING) {
                log(new Reported(Topic.WAITING, f.name()), Level.INFO, "Listener {0} on {1} is waiting: {2}", f.name(), f.endpoint(), f.detail());
            } else {
                log(new Reported(Topic.FAILED, f.name()), Level.WARNING, "Listener {0} on {1} failed: {2}", f.name(), f.endpoint(), f.detail());
            }
        }
        for (Map.Entry<String, String> p : configProblems.entrySet()) {
            log(new Reported(Topic.CONFIG, p.getKey()), Level.WARNING, "Listener {0}: {1}", p.getKey(), p.getValue());
        }
        last.keySet().removeIf(k -> k instanceof Reported r
                && !(r.topic() == Topic.CONFIG ? configProblems.containsKey(r.name()) : failures.containsKey(r.name())));
    }

    private void log(Object subject, Level level, String format, Object... args) {
        Object[] texts = new Object[args.length];
        for (int i = 0; i < args.length; i++) {
            texts[i] = String.valueOf(args[i]); // no locale grouping in numbers ("5000", not "5,000")
        }
        String message = MessageFormat.format(format, texts);
        if (!message.equals(last.put(subject, message))) {
            LOG.log(level, message);
        }
    }
}
