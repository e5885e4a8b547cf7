package io.portside.launcher;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The loggers whose level a configuration sets. Each is held here: java.util.logging keeps loggers weakly, and a
 * level set on a logger nobody holds yet would be lost with it. A logger the configuration no longer names inherits
 * again; the root logger goes back to its start level ({@code -Dportside.log.level}).
 */
final class LogLevels {

    private final Level rootDefault;
    /** By name ({@code ""}: root), the loggers whose level is set here, and the level. */
    private final Map<String, Logger> set = new HashMap<>();

    LogLevels(Level rootDefault) {
        this.rootDefault = rootDefault;
    }

    /** Sets {@code wanted}; resets every other logger set earlier, except those in {@code keep} (refused values). */
    synchronized void apply(Map<String, Level> wanted, Set<String> keep) {
        for (String name : Set.copyOf(set.keySet())) {
            if (!wanted.containsKey(name) && !keep.contains(name)) {
                Logger l = set.remove(name);
                l.setLevel(name.isEmpty() ? rootDefault : null);
            }
        }
        for (Map.Entry<String, Level> e : wanted.entrySet()) {
            Logger l = Logger.getLogger(e.getKey());
            l.setLevel(e.getValue());
            set.put(e.getKey(), l);
        }
    }

    /** The levels set here, by logger name ({@code root} for the root logger), in order, as the configuration names them. */
    synchronized Map<String, String> describe() {
        Map<String, String> out = new TreeMap<>();
        for (Map.Entry<String, Logger> e : set.entrySet()) {
            out.put(e.getKey().isEmpty() ? LogSettings.ROOT : e.getKey(), LogSettings.nameOf(e.getValue().getLevel()));
        }
        return out;
    }
}
