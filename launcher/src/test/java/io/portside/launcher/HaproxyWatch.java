package io.portside.launcher;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Polls one server's status on HAProxy's stats socket every 50 ms and keeps each change ("UP", "DRAIN", "DOWN", ...),
 * so a test can show what HAProxy made of a host's swap or restart.
 */
final class HaproxyWatch implements AutoCloseable {

    private final List<String> changes = new ArrayList<>();
    private final Path statsSocket;
    private final String server;
    private final Thread poller;
    private volatile boolean stop;

    HaproxyWatch(Path statsSocket, String server) {
        this.statsSocket = statsSocket;
        this.server = server;
        poll();
        poller = Thread.ofVirtual().name("haproxy-watch-" + server).start(() -> {
            while (!stop) {
                poll();
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    private void poll() {
        String status = Haproxy.status(statsSocket, server);
        synchronized (changes) {
            if (changes.isEmpty() || !changes.getLast().equals(status)) {
                changes.add(status);
            }
        }
    }

    /** The statuses seen, each change once: e.g. [UP, DRAIN, DOWN, DOWN (agent), UP]. */
    List<String> changes() {
        synchronized (changes) {
            return List.copyOf(changes);
        }
    }

    /** Stops watching; every status seen, the one now included. */
    List<String> finish() {
        close();
        return changes();
    }

    @Override
    public void close() {
        stop = true; // no interrupt: it would close the stats socket mid-read
        try {
            poller.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        poll(); // the state the caller waited for, which the poller may not have seen yet
    }
}
