package io.portside.server.tls.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/** The host logger's lines (System.Logger goes to java.util.logging here) that mention one listener's name. */
final class HostLog extends Handler implements AutoCloseable {

    private final Logger logger = Logger.getLogger("io.portside.host");
    private final String listener;
    private final SimpleFormatter formatter = new SimpleFormatter();
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();

    HostLog(String listener) {
        this.listener = listener;
        setLevel(Level.ALL);
        logger.addHandler(this);
    }

    @Override
    public void publish(LogRecord record) {
        if (formatter.formatMessage(record).contains("Listener " + listener + ":")) {
            records.add(record);
        }
    }

    List<String> warnings() {
        return records.stream().filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue()).map(formatter::formatMessage).toList();
    }

    List<String> all() {
        return records.stream().map(formatter::formatMessage).toList();
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
