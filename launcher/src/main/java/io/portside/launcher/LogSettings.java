package io.portside.launcher;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Level;

/**
 * What {@code deploy/io.portside.logging.cfg} asks for, as Karaf's {@code org.ops4j.pax.logging.cfg} would:
 * {@code level.<logger>=DEBUG} (and {@code level.root}), {@code format=json|text}. A value that is not valid is refused
 * with one sentence in {@link #problems()}, and its logger (or the format) keeps what it had: a typo never turns a
 * logger's lines off or floods the console.
 */
record LogSettings(Map<String, Level> levels, Set<String> refusedLevels, ConsoleFormat format, boolean formatRefused,
        List<String> problems) {

    static final String LEVEL_PREFIX = "level.";
    static final String ROOT = "root";
    static final String FORMAT = "format";

    /** The console's line format. */
    enum ConsoleFormat {
        TEXT, JSON;

        /** {@code text} or {@code json}, any case; {@code null} for anything else. */
        static ConsoleFormat parse(String value) {
            return switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "text" -> TEXT;
                case "json" -> JSON;
                default -> null;
            };
        }
    }

    /** The names a level may be given: the usual ones (as in Log4j, SLF4J, pax-logging) and java.util.logging's. */
    private static final Map<String, Level> LEVELS = Map.ofEntries(
            Map.entry("OFF", Level.OFF), Map.entry("ERROR", Level.SEVERE), Map.entry("SEVERE", Level.SEVERE),
            Map.entry("WARN", Level.WARNING), Map.entry("WARNING", Level.WARNING), Map.entry("INFO", Level.INFO),
            Map.entry("CONFIG", Level.CONFIG), Map.entry("DEBUG", Level.FINE), Map.entry("FINE", Level.FINE),
            Map.entry("FINER", Level.FINER), Map.entry("TRACE", Level.FINEST), Map.entry("FINEST", Level.FINEST),
            Map.entry("ALL", Level.ALL));

    /** A level by name, any case; {@code null} if it names none. */
    static Level level(String name) {
        return name == null ? null : LEVELS.get(name.trim().toUpperCase(Locale.ROOT));
    }

    /** The name a configuration would give {@code level}: its own, or java.util.logging's for the rest. */
    static String nameOf(Level level) {
        if (level == Level.SEVERE) {
            return "ERROR";
        }
        if (level == Level.WARNING) {
            return "WARN";
        }
        if (level == Level.FINE) {
            return "DEBUG";
        }
        return level == Level.FINEST ? "TRACE" : level.getName();
    }

    /**
     * The settings in {@code properties} (a configuration's, so its {@code service.*} and {@code felix.*} keys are
     * ConfigAdmin's and FileInstall's own, not ours). Loggers are by name; the root logger is {@code ""}.
     */
    static LogSettings parse(Map<String, ?> properties) {
        Map<String, Level> levels = new LinkedHashMap<>();
        Set<String> refused = new TreeSet<>();
        List<String> problems = new ArrayList<>();
        ConsoleFormat format = null;
        boolean formatRefused = false;
        for (Map.Entry<String, ?> e : new java.util.TreeMap<>(properties).entrySet()) {
            String key = e.getKey();
            String value = String.valueOf(e.getValue());
            if (key.startsWith(LEVEL_PREFIX) && key.length() > LEVEL_PREFIX.length()) {
                String logger = key.substring(LEVEL_PREFIX.length());
                logger = logger.equals(ROOT) ? "" : logger;
                Level level = level(value);
                if (level == null) {
                    refused.add(logger);
                    problems.add(key + "=" + value + ": not a level (OFF, ERROR, WARN, INFO, DEBUG, TRACE, ALL); "
                            + (logger.isEmpty() ? "the root logger" : "logger " + logger) + " keeps its level");
                } else {
                    levels.put(logger, level);
                }
            } else if (key.equals(FORMAT)) {
                format = ConsoleFormat.parse(value);
                if (format == null) {
                    formatRefused = true;
                    problems.add(key + "=" + value + ": not a format (text, json); the console keeps its format");
                }
            } else if (!key.startsWith("service.") && !key.startsWith("felix.") && !key.startsWith("component.")) {
                problems.add(key + "=" + value + ": not a setting (level.<logger>, level.root, format)");
            }
        }
        return new LogSettings(levels, refused, format, formatRefused, problems);
    }
}
