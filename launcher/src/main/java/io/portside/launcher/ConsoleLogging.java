package io.portside.launcher;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.logging.StreamHandler;

/**
 * One line per event on the console: time, level, logger, message, and the exception's own message. Stack
 * traces are for debugging ({@code -Dportside.log.stacktraces=true}), not for a bad jar or a bad config file.
 * Every record passes a {@link RateLimitingHandler} first, so no flood of one kind of line reaches the console
 * ({@code -Dportside.log.burst}, {@code -Dportside.log.window}: {@link LogLimits}). The line is text, or JSON with
 * {@code -Dportside.log.format=json} ({@link JsonLineFormatter}); the format and each logger's level may change while
 * the host runs ({@link LogControl}, from {@code deploy/io.portside.logging.cfg}: {@link LogConfiguration}).
 */
final class ConsoleLogging {

    static final String FORMAT_PROPERTY = "portside.log.format";
    static final String UNCAUGHT = "Thread {0} ended by {1}";

    /** The console's run-time settings, once {@link #install} has run (or, in-process, once a host asks for them). */
    private static LogControl control;

    private ConsoleLogging() {
    }

    static void install() {
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        // Not a ConsoleHandler: pointing one at System.out closes the System.err it opened on, and every uncaught stack
        // trace printed there afterwards was lost.
        Handler console = new StandardOutHandler();
        Level level = Level.parse(System.getProperty("portside.log.level", "INFO"));
        // The loggers' levels decide what is logged (root: portside.log.level; others: deploy/io.portside.logging.cfg),
        // so a logger set to DEBUG at run time gets its lines through; the handlers let everything pass.
        console.setLevel(Level.ALL);
        List<String> problems = new ArrayList<>();
        LogSettings.ConsoleFormat format = startFormat(problems);
        LogLimits limits = LogLimits.fromSystemProperties(problems);
        // Any handler the launcher adds goes behind the limiter, never on the root logger itself.
        Handler limited = new RateLimitingHandler(new LogRateLimiter(limits, System::nanoTime), List.of(console), limits.window());
        limited.setLevel(Level.ALL);
        root.setLevel(level);
        synchronized (ConsoleLogging.class) {
            control = new LogControl(console, format, Boolean.getBoolean("portside.log.stacktraces"), level);
        }
        root.addHandler(limited);
        for (String problem : problems) {
            Logger.getLogger("io.portside.launcher").warning(problem);
        }
        Thread.setDefaultUncaughtExceptionHandler(ConsoleLogging::uncaught);
    }

    /** {@code -Dportside.log.format}: {@code text} (the default) or {@code json}. */
    private static LogSettings.ConsoleFormat startFormat(List<String> problems) {
        String text = System.getProperty(FORMAT_PROPERTY);
        if (text == null) {
            return LogSettings.ConsoleFormat.TEXT;
        }
        LogSettings.ConsoleFormat format = LogSettings.ConsoleFormat.parse(text);
        if (format == null) {
            problems.add("Ignoring -D" + FORMAT_PROPERTY + "='" + text + "': expected text or json; using text");
            return LogSettings.ConsoleFormat.TEXT;
        }
        return format;
    }

    /** The run-time settings; without {@link #install} (a host in a test's JVM), levels only, from the root's level now. */
    static synchronized LogControl control() {
        if (control == null) {
            Level rootLevel = Logger.getLogger("").getLevel();
            control = new LogControl(null, LogSettings.ConsoleFormat.TEXT, false, rootLevel == null ? Level.INFO : rootLevel);
        }
        return control;
    }

    /** Whatever escapes a thread (the host's or a handler's) is one log line, not a trace on a stream nobody reads. */
    static void uncaught(Thread thread, Throwable error) {
        LogRecord r = new LogRecord(Level.SEVERE, UNCAUGHT); // a template, so the JSON log names its event and reason
        r.setParameters(new Object[] {thread.getName(), String.valueOf(error)});
        r.setThrown(error);
        r.setLoggerName("io.portside.launcher");
        Logger.getLogger("io.portside.launcher").log(r);
    }

    /** The console: System.out, flushed after every line, and never closed (the JVM owns it). */
    static final class StandardOutHandler extends StreamHandler {
        StandardOutHandler() {
            super(System.out, new SimpleFormatter());
        }

        @Override
        public synchronized void publish(LogRecord record) {
            super.publish(record);
            flush();
        }

        @Override
        public synchronized void close() {
            flush();
        }
    }

    /** The console format. */
    static final class OneLineFormatter extends Formatter {
        private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");
        private final boolean stackTraces;

        OneLineFormatter(boolean stackTraces) {
            this.stackTraces = stackTraces;
        }

        @Override
        public String format(LogRecord r) {
            StringBuilder line = new StringBuilder()
                    .append(TIME.format(LocalDateTime.now())).append(' ')
                    .append(String.format("%-7s", name(r.getLevel()))).append(' ')
                    .append('[').append(r.getLoggerName()).append("] ")
                    .append(formatMessage(r));
            Throwable t = r.getThrown();
            if (t != null) {
                line.append(" (").append(t).append(')');
            }
            line.append(System.lineSeparator());
            if (t != null && stackTraces) {
                java.io.StringWriter trace = new java.io.StringWriter();
                t.printStackTrace(new java.io.PrintWriter(trace));
                line.append(trace);
            }
            return line.toString();
        }

        static String name(Level level) {
            if (level.intValue() >= Level.SEVERE.intValue()) {
                return "ERROR";
            }
            if (level.intValue() >= Level.WARNING.intValue()) {
                return "WARN";
            }
            if (level.intValue() >= Level.INFO.intValue()) {
                return "INFO";
            }
            return "DEBUG";
        }
    }
}
