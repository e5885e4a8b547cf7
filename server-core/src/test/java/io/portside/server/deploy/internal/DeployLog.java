package io.portside.server.deploy.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * The lines of the deploy logger ({@code io.portside.deploy}; System.Logger goes to java.util.logging here) that
 * mention one of a test's markers (its own temporary folder, names only it uses), so that test classes running in
 * parallel do not see each other's lines.
 */
final class DeployLog extends Handler implements AutoCloseable {

    private final Logger logger = Logger.getLogger("io.portside.deploy");
    private final List<String> markers;
    private final SimpleFormatter formatter = new SimpleFormatter();
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();

    DeployLog(Object... markers) {
        this.markers = java.util.Arrays.stream(markers).map(String::valueOf).toList();
        setLevel(Level.ALL);
        logger.addHandler(this);
    }

    @Override
    public void publish(LogRecord record) {
        String message = formatter.formatMessage(record);
        if (markers.stream().anyMatch(message::contains)) {
            records.add(record);
        }
    }

    /** Every captured line, as "LEVEL message". */
    List<String> lines() {
        return records.stream().map(r -> r.getLevel() + " " + formatter.formatMessage(r)).toList();
    }

    /** How many captured lines contain {@code text}. */
    long count(String text) {
        return lines().stream().filter(l -> l.contains(text)).count();
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
