package io.portside.launcher;

import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The console's settings that may change while the host runs: logger levels and the line format. Starts from the
 * system properties; {@link #apply} takes a logging configuration's properties, and an empty one returns everything to
 * the start settings. One line says what changed; one line per refused value says why it was ignored.
 */
final class LogControl {

    private static final Logger LOG = Logger.getLogger("io.portside.launcher");

    /** {@code null} when the launcher did not install its console (in-process tests): levels only. */
    private final Handler console;
    private final LogSettings.ConsoleFormat startFormat;
    private final boolean stackTraces;
    private final LogLevels levels;
    private LogSettings.ConsoleFormat format;
    private String described;

    LogControl(Handler console, LogSettings.ConsoleFormat startFormat, boolean stackTraces, Level rootLevel) {
        this.console = console;
        this.startFormat = startFormat;
        this.format = startFormat;
        this.stackTraces = stackTraces;
        this.levels = new LogLevels(rootLevel);
        this.described = describe();
        if (console != null) {
            console.setFormatter(formatter(startFormat, stackTraces));
        }
    }

    static java.util.logging.Formatter formatter(LogSettings.ConsoleFormat format, boolean stackTraces) {
        return format == LogSettings.ConsoleFormat.JSON ? new JsonLineFormatter(stackTraces) : new ConsoleLogging.OneLineFormatter(stackTraces);
    }

    /** Applies a logging configuration's properties; an empty map (the file was removed) restores the start settings. */
    synchronized void apply(Map<String, ?> properties) {
        LogSettings s = LogSettings.parse(properties);
        levels.apply(s.levels(), s.refusedLevels());
        if (!s.formatRefused()) {
            LogSettings.ConsoleFormat next = s.format() == null ? startFormat : s.format();
            if (next != format && console != null) {
                console.setFormatter(formatter(next, stackTraces));
            }
            format = next;
        }
        for (String problem : s.problems()) {
            LOG.log(Level.WARNING, LogConfiguration.REFUSED, new Object[] {LogConfiguration.PID, problem});
        }
        String now = describe();
        if (!now.equals(described)) {
            described = now;
            LOG.log(Level.INFO, LogConfiguration.APPLIED, new Object[] {LogConfiguration.PID, now});
        }
    }

    private String describe() {
        return "format " + format.name().toLowerCase(java.util.Locale.ROOT) + ", levels " + levels.describe();
    }
}
