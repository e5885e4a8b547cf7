package io.portside.launcher;

import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * The line that stands for the lines of one kind a window held back:
 * {@code ... and 4,812 more like this in the last 10 s on listener echo-tcp: "Listener {0}: rejected {1}: {2}"}.
 * Logged as that kind's logger and level, so whoever filters by either still sees it.
 */
record LogSummary(LogKind kind, long count, Level level, String window) {

    String text() {
        String more = "... and " + String.format(Locale.ROOT, "%,d", count);
        if (kind == LogRateLimiter.OTHER) {
            return more + " more lines of other kinds in the last " + window + " (too many kinds at once to count each)";
        }
        String listener = kind.listener() == null ? "" : " on listener " + kind.listener();
        return more + " more like this in the last " + window + listener + ": \"" + kind.template() + "\"";
    }

    /** A record of its own, without parameters: the template in the text is printed as it is, braces and all. */
    LogRecord toRecord() {
        LogRecord r = new SummaryRecord(this);
        r.setLoggerName(kind.logger());
        return r;
    }

    /** A summary's record, which the JSON log recognizes as one (its text names a template, braces and all). */
    static final class SummaryRecord extends LogRecord {
        private static final long serialVersionUID = 1L;
        private final transient LogSummary summary;

        SummaryRecord(LogSummary summary) {
            super(summary.level(), summary.text());
            this.summary = summary;
        }

        LogSummary summary() {
            return summary;
        }
    }
}
