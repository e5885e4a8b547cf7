package io.portside.launcher;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.LogRecord;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a log record is about, for the JSON log: a stable event name, the listener, and the client, revision and reason
 * where the line names them. The host logs MessageFormat templates ({@link LogEventTable}); a record with parameters is
 * looked up by its template, one the host formatted itself (listener changes) by matching its text against the
 * templates. A line no template describes gets {@link #GENERIC}, and its listener from its logging thread.
 */
final class LogEvents {

    /** The event of a line no known template describes. */
    static final String GENERIC = "log.message";
    /** The event of a limiter's summary of lines it held back ({@link LogSummary}). */
    static final String SUPPRESSED = "log.suppressed";

    /** What a line is about; fields it does not name are {@code null}. */
    record LogEvent(String event, String listener, String client, String revision, String reason) {
    }

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(\\d+)\\}");
    private static final String LISTENER_PREFIX = LogKind.HOST_LISTENER_TEMPLATE;

    /** A known template, compiled both ways: by its exact text, and as a pattern over formatted text. */
    private record Compiled(LogEventTable.Known known, Pattern text, int[] groupToArgument, int arguments) {
    }

    private static final Map<String, Compiled> BY_TEMPLATE = new HashMap<>();
    private static final List<Compiled> IN_ORDER = new ArrayList<>();

    static {
        for (LogEventTable.Known k : LogEventTable.KNOWN) {
            Compiled c = compile(k);
            BY_TEMPLATE.put(k.template(), c);
            IN_ORDER.add(c);
        }
    }

    private LogEvents() {
    }

    /** The event of {@code record}, logged on a thread named {@code threadName}. */
    static LogEvent of(LogRecord record, String threadName) {
        if (record instanceof LogSummary.SummaryRecord s) {
            return new LogEvent(SUPPRESSED, s.summary().kind().listener(), null, null, null);
        }
        String template = record.getMessage() == null ? "" : record.getMessage();
        Object[] parameters = record.getParameters();
        if (parameters != null && parameters.length > 0) {
            Compiled c = BY_TEMPLATE.get(template);
            if (c != null) {
                String[] args = new String[Math.max(c.arguments(), parameters.length)];
                for (int i = 0; i < parameters.length; i++) {
                    args[i] = parameters[i] == null ? null : String.valueOf(parameters[i]);
                }
                return event(c.known(), args);
            }
        } else {
            for (Compiled c : IN_ORDER) {
                Matcher m = c.text().matcher(template);
                if (m.matches()) {
                    String[] args = new String[c.arguments()];
                    for (int g = 0; g < c.groupToArgument().length; g++) {
                        args[c.groupToArgument()[g]] = m.group(g + 1);
                    }
                    return event(c.known(), args);
                }
            }
        }
        return new LogEvent(GENERIC, LogKind.of(record, threadName).listener(), null, null, null);
    }

    private static LogEvent event(LogEventTable.Known k, String[] args) {
        String listener = k.template().startsWith(LISTENER_PREFIX) ? args[0] : null;
        return new LogEvent(k.event(), listener, field(k.client(), args), field(k.revision(), args), field(k.reason(), args));
    }

    /** {@code spec} with its placeholders filled in: {@code "{1} {2}"}, {@code "{3}"}, or a fixed word; null if absent. */
    static String field(String spec, String[] args) {
        if (spec == null) {
            return null;
        }
        Matcher m = PLACEHOLDER.matcher(spec);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            int i = Integer.parseInt(m.group(1));
            if (i >= args.length || args[i] == null) {
                return null;
            }
            m.appendReplacement(out, Matcher.quoteReplacement(args[i]));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * The template as a pattern over its formatted text: literal parts quoted (MessageFormat's {@code ''} is one quote),
     * each placeholder a group; the listener name right after "Listener " has no spaces, so a longer template cannot be
     * read as the generic "Listener {0}: {1}".
     */
    private static Compiled compile(LogEventTable.Known k) {
        String t = k.template();
        Matcher m = PLACEHOLDER.matcher(t);
        StringBuilder regex = new StringBuilder("^");
        List<Integer> groups = new ArrayList<>();
        int at = 0;
        int arguments = 0;
        while (m.find()) {
            regex.append(Pattern.quote(t.substring(at, m.start()).replace("''", "'")));
            int i = Integer.parseInt(m.group(1));
            boolean listenerName = i == 0 && t.startsWith(LISTENER_PREFIX) && m.start() == "Listener ".length();
            regex.append(listenerName ? "(\\S+?)" : "(.*?)");
            groups.add(i);
            arguments = Math.max(arguments, i + 1);
            at = m.end();
        }
        regex.append(Pattern.quote(t.substring(at).replace("''", "'"))).append('$');
        return new Compiled(k, Pattern.compile(regex.toString(), Pattern.DOTALL),
                groups.stream().mapToInt(Integer::intValue).toArray(), arguments);
    }
}
