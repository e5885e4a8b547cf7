package io.portside.launcher;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The rule a swap under load checks, the host's promise: a connection accepted while a version was active (from the
 * log line that says so until the next swap began) is served by that version. The client cannot see when the host
 * accepted it, only that it was after the connect began and before the first reply came: the connect completes in
 * the kernel's backlog, and on a busy machine the listener may take it from there hundreds of ms later, after the
 * next swap has begun (it is then pinned to the next revision, or waits in the gap for it). So a connection is
 * checked against a window only if both its connect and its first reply fall inside it. A violation is described
 * with what it takes to see why: the connection, the windows around it and every log line of the host around it,
 * in ms since the windows began.
 */
final class ActivationWindows implements AutoCloseable {

    /** An activation of a version: from when connections must see it, until the next swap began. */
    record Window(String version, long fromNanos, long untilNanos, String line) {

        boolean began(SwapLoad.Connection c) {
            return c.startNanos() - fromNanos > 0 && (untilNanos == Long.MAX_VALUE || untilNanos - c.startNanos() > 0);
        }

        /** True if the connection's accept, between its connect and its first reply, was inside this window. */
        boolean accepted(SwapLoad.Connection c) {
            return began(c) && (untilNanos == Long.MAX_VALUE || untilNanos - c.firstReplyNanos() > 0);
        }
    }

    /**
     * How many connections were accepted inside a window, how many began inside one but were answered after it
     * ended (not checked: the host may have accepted them after the swap), and the ones that broke the rule, described.
     */
    record Verdict(int checked, int answeredAfterTheWindow, List<String> violations) {
    }

    private static final Logger ROOT = Logger.getLogger("");
    private static final int SHOWN = 3;
    private static final int LOG_LINES = 60;

    private final long originNanos = System.nanoTime();
    private final List<Window> windows = new ArrayList<>();
    private final TimedLog log = new TimedLog();

    ActivationWindows() {
        ROOT.addHandler(log);
    }

    /** A swap begins at {@code nanos}: the window open until then ends. */
    void swapBegins(long nanos) {
        if (!windows.isEmpty()) {
            Window last = windows.remove(windows.size() - 1);
            windows.add(new Window(last.version(), last.fromNanos(), nanos, last.line()));
        }
    }

    /** {@code version} is active from when {@code entry} was logged. */
    void activated(String version, HostHarness.LogEntry entry) {
        windows.add(new Window(version, entry.nanos(), Long.MAX_VALUE, entry.line()));
    }

    Verdict check(Collection<SwapLoad.Connection> connections) {
        int checked = 0;
        int late = 0;
        List<String> violations = new ArrayList<>();
        for (SwapLoad.Connection c : connections) {
            if (c.versions().isEmpty()) {
                continue;
            }
            for (int i = 0; i < windows.size(); i++) {
                Window w = windows.get(i);
                if (w.accepted(c)) {
                    checked++;
                    if (!w.version().equals(c.versions().get(0))) {
                        violations.add(describe(c, i));
                    }
                } else if (w.began(c)) {
                    late++;
                }
            }
        }
        return new Verdict(checked, late, violations);
    }

    /** The violations found, the first few of them in full. */
    static String report(Verdict verdict) {
        List<String> v = verdict.violations();
        return v.size() + " connection(s) accepted while a version was active (connected after it was logged active, answered "
                + "before the next swap began) were served by another; the first:\n" + String.join("\n\n", v.subList(0, Math.min(SHOWN, v.size())));
    }

    private String describe(SwapLoad.Connection c, int index) {
        Window w = windows.get(index);
        StringBuilder s = new StringBuilder()
                .append("connection from local port ").append(c.localPort()).append(" began ").append(ms(c.startNanos()))
                .append(", connected ").append(ms(c.connectedNanos())).append(", first reply ").append(ms(c.firstReplyNanos()))
                .append(", served by ").append(c.versions()).append(", inside window #").append(index).append(' ').append(show(w))
                .append("\nwindows around it:");
        for (int i = Math.max(0, index - 2); i < Math.min(windows.size(), index + 3); i++) {
            s.append("\n  #").append(i).append(' ').append(show(windows.get(i)));
        }
        long end = c.firstReplyNanos() != 0 ? c.firstReplyNanos() : c.startNanos();
        List<TimedLog.Entry> around = log.between(w.fromNanos() - 1_000_000_000L, end + 500_000_000L);
        s.append("\nhost log from 1 s before the window to 0.5 s after the first reply:");
        for (TimedLog.Entry e : around.subList(0, Math.min(LOG_LINES, around.size()))) {
            s.append("\n  ").append(ms(e.nanos())).append(" [thread ").append(e.thread()).append("] ").append(e.line());
        }
        if (around.size() > LOG_LINES) {
            s.append("\n  ... ").append(around.size() - LOG_LINES).append(" more");
        }
        return s.toString();
    }

    private String show(Window w) {
        return w.version() + " from " + ms(w.fromNanos()) + " until "
                + (w.untilNanos() == Long.MAX_VALUE ? "the end" : ms(w.untilNanos())) + " (matched: " + w.line() + ")";
    }

    private String ms(long nanos) {
        return nanos == 0 ? "never" : String.format("%+.3f ms", (nanos - originNanos) / 1e6);
    }

    @Override
    public void close() {
        ROOT.removeHandler(log);
    }

    /** Every log record of the JVM with when it was published and on which thread. */
    private static final class TimedLog extends Handler {

        record Entry(long nanos, long thread, String line) {
        }

        private final List<Entry> entries = new ArrayList<>();
        private final ConsoleLogging.OneLineFormatter format = new ConsoleLogging.OneLineFormatter(false);

        @Override
        public void publish(LogRecord r) {
            long now = System.nanoTime();
            String line = format.format(r).strip();
            synchronized (this) {
                entries.add(new Entry(now, r.getLongThreadID(), line));
            }
        }

        synchronized List<Entry> between(long fromNanos, long untilNanos) {
            return entries.stream().filter(e -> e.nanos() - fromNanos >= 0 && untilNanos - e.nanos() >= 0).toList();
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
