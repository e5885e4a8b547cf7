package io.portside.launcher;

import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * What the log limiter counts lines by: the listener a line concerns and its kind (logger, level and message
 * template, unformatted, so one template is one kind whatever the client). {@code listener} is {@code null} for a
 * line that concerns no listener.
 */
record LogKind(String listener, String logger, Level level, String template) {

    /** The host's logger; its lines about a listener start with this and name it in the first parameter. */
    static final String HOST_LOGGER = "io.portside.host";
    static final String HOST_LISTENER_TEMPLATE = "Listener {0}";

    /**
     * The kind of {@code record}, logged on a thread named {@code threadName}. The listener is the host line's own
     * first parameter, else the listener whose request the logging thread serves ({@link ListenerThreads}).
     */
    static LogKind of(LogRecord record, String threadName) {
        String template = record.getMessage() == null ? "" : record.getMessage();
        String logger = record.getLoggerName() == null ? "" : record.getLoggerName();
        return new LogKind(listenerOf(record, logger, template, threadName), logger, record.getLevel(), template);
    }

    private static String listenerOf(LogRecord record, String logger, String template, String threadName) {
        Object[] parameters = record.getParameters();
        if (HOST_LOGGER.equals(logger) && template.startsWith(HOST_LISTENER_TEMPLATE) && parameters != null
                && parameters.length > 0 && parameters[0] != null) {
            return parameters[0].toString();
        }
        return ListenerThreads.listenerOf(threadName);
    }
}
