package io.portside.server;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Collects what one logger publishes (System.Logger goes to java.util.logging here), keeping only messages
 * that mention {@code marker}, so tests running in parallel do not see each other's lines.
 */
final class LogCapture extends Handler implements AutoCloseable {

    private final Logger logger;
    private final String marker;
    private final SimpleFormatter formatter = new SimpleFormatter();
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();

    LogCapture(Class<?> source, String marker) {
        this.logger = Logger.getLogger(source.getName());
        this.marker = marker;
        setLevel(Level.ALL);
        logger.addHandler(this);
    }

    @Override
    public void publish(LogRecord record) {
        if (formatter.formatMessage(record).contains(marker)) {
            records.add(record);
        }
    }

    /** The captured lines at WARNING or above (what an operator sees by default). */
    List<String> warnings() {
        return records.stream().filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue())
                .map(formatter::formatMessage).toList();
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
