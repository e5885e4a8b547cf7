package io.portside.server.host.internal;

import java.lang.System.Logger.Level;
import java.text.MessageFormat;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The whiteboard's log of listener changes: each subject (a listener's endpoint, or a failure of a listener) logs a
 * message once; the same message for the same subject is not repeated on every reconcile. Loop thread only.
 */
final class ChangeLog {

    private static final System.Logger LOG = System.getLogger("io.portside.host");

    private final Map<String, String> last = new HashMap<>();

    void info(String subject, String format, Object... args) {
        log(subject, Level.INFO, format, args);
    }

    void warn(String subject, String format, Object... args) {
        log(subject, Level.WARNING, format, args);
    }

    /** Forgets a subject, so that its next message is logged even if it repeats the last one. */
    void forget(String subject) {
        last.remove(subject);
    }

    void forgetIf(Predicate<String> subject) {
        last.keySet().removeIf(subject);
    }

    /**
     * Logs each failed or waiting listener, and each listener serving a last good configuration, once per distinct
     * reason; forgets those that are fine again, so that a recurrence is logged anew.
     */
    void report(Map<String, io.portside.server.runtime.ListenerView> failures, Map<String, String> configProblems) {
        for (io.portside.server.runtime.ListenerView f : failures.values()) {
            if (f.state().equals(UnboundViews.WAITING)) {
                info("waiting:" + f.name(), "Listener {0} on {1} is waiting: {2}", f.name(), f.endpoint(), f.failure());
            } else {
                warn("failed:" + f.name(), "Listener {0} on {1} failed: {2}", f.name(), f.endpoint(), f.failure());
            }
        }
        for (Map.Entry<String, String> p : configProblems.entrySet()) {
            warn("config:" + p.getKey(), "Listener {0}: {1}", p.getKey(), p.getValue());
        }
        forgetIf(k -> (k.startsWith("failed:") || k.startsWith("waiting:")) && !failures.containsKey(k.substring(k.indexOf(':') + 1))
                || k.startsWith("config:") && !configProblems.containsKey(k.substring(k.indexOf(':') + 1)));
    }

    private void log(String subject, Level level, String format, Object... args) {
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
