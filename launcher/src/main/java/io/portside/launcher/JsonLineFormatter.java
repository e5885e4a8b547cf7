package io.portside.launcher;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * The JSON console format ({@code -Dportside.log.format=json}): one object per line with the keys {@code time} (UTC,
 * milliseconds), {@code level}, {@code logger}, {@code listener}, {@code event}, {@code message}, and where the line
 * names them {@code client}, {@code revision}, {@code reason}; an exception adds {@code error} (and {@code stack} with
 * {@code -Dportside.log.stacktraces=true}), a limiter summary {@code count} and {@code template}. Members without a
 * value are left out. Every newline inside a value is escaped, so one record is always exactly one line.
 */
final class JsonLineFormatter extends Formatter {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final boolean stackTraces;

    JsonLineFormatter(boolean stackTraces) {
        this.stackTraces = stackTraces;
    }

    @Override
    public String format(LogRecord r) {
        // Formatted on the logging thread (the console handler is synchronous), so a handler's line finds its listener.
        LogEvents.LogEvent e = LogEvents.of(r, Thread.currentThread().getName());
        JsonText line = new JsonText()
                .field("time", TIME.format(r.getInstant()))
                .field("level", ConsoleLogging.OneLineFormatter.name(r.getLevel()))
                .field("logger", r.getLoggerName() == null ? "" : r.getLoggerName())
                .field("listener", e.listener())
                .field("event", e.event())
                .field("message", message(r))
                .field("client", e.client())
                .field("revision", e.revision())
                .field("reason", e.reason());
        if (r instanceof LogSummary.SummaryRecord s) {
            line.field("count", s.summary().count()).field("template", s.summary().kind().template());
        }
        Throwable t = r.getThrown();
        if (t != null) {
            line.field("error", String.valueOf(t));
            if (stackTraces) {
                StringWriter trace = new StringWriter();
                t.printStackTrace(new PrintWriter(trace));
                line.field("stack", trace.toString());
            }
        }
        return line.end() + System.lineSeparator();
    }

    /** The formatted text; a template that does not format (a handler's bad braces) is printed as it is. */
    private String message(LogRecord r) {
        try {
            String m = formatMessage(r);
            return m == null ? "" : m;
        } catch (RuntimeException e) {
            return String.valueOf(r.getMessage());
        }
    }
}
