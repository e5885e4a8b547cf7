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
 * ({@code -Dportside.log.burst}, {@code -Dportside.log.window}: {@link LogLimits}).
 */
final class ConsoleLogging {

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
        console.setFormatter(new OneLineFormatter(Boolean.getBoolean("portside.log.stacktraces")));
        Level level = Level.parse(System.getProperty("portside.log.level", "INFO"));
        console.setLevel(level);
        List<String> problems = new ArrayList<>();
        LogLimits limits = LogLimits.fromSystemProperties(problems);
        // Any handler the launcher adds goes behind the limiter, never on the root logger itself.
        Handler limited = new RateLimitingHandler(new LogRateLimiter(limits, System::nanoTime), List.of(console), limits.window());
        limited.setLevel(level);
        root.setLevel(level);
        root.addHandler(limited);
        for (String problem : problems) {
            Logger.getLogger("io.portside.launcher").warning(problem);
        }
        Thread.setDefaultUncaughtExceptionHandler(ConsoleLogging::uncaught);
    }

    /** Whatever escapes a thread (the host's or a handler's) is one log line, not a trace on a stream nobody reads. */
    static void uncaught(Thread thread, Throwable error) {
        Logger.getLogger("io.portside.launcher").log(Level.SEVERE, "Thread " + thread.getName() + " ended by " + error, error);
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

        private static String name(Level level) {
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
