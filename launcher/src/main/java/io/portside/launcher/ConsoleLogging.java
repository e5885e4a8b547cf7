package io.portside.launcher;

import java.io.PrintStream;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;

/**
 * One line per event on the console: time, level, logger, message, and the exception's own message. Stack
 * traces are for debugging ({@code -Dportside.log.stacktraces=true}), not for a bad jar or a bad config file.
 */
final class ConsoleLogging {

    private ConsoleLogging() {
    }

    static void install() {
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        Handler console = new StdoutHandler(new OneLineFormatter(Boolean.getBoolean("portside.log.stacktraces")));
        Level level = Level.parse(System.getProperty("portside.log.level", "INFO"));
        console.setLevel(level);
        root.setLevel(level);
        root.addHandler(console);
    }

    /**
     * Every record to standard output, flushed at once. Not a {@link java.util.logging.ConsoleHandler} re-pointed with
     * {@code setOutputStream}: that closes the stream it had, {@code System.err}, and with it file descriptor 2, so
     * everything printed to stderr afterwards (uncaught exceptions, the output of forking workers) was lost. Closing
     * this handler (JUL's reset at JVM exit) flushes and leaves standard output open.
     */
    static final class StdoutHandler extends StreamHandler {
        StdoutHandler(Formatter formatter) {
            super(new PrintStream(System.out, true), formatter);
        }

        @Override
        public synchronized void publish(LogRecord r) {
            super.publish(r);
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
