package io.portside.launcher;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * How much of one kind of log line gets through: per listener and kind, the first {@code burst} lines of each
 * {@code window} print, the rest are counted into one summary line. {@code -Dportside.log.burst=10} and
 * {@code -Dportside.log.window=10s} (also {@code 500ms}, {@code 1m}, or plain seconds).
 */
record LogLimits(int burst, Duration window, int maxKinds) {

    static final String BURST_PROPERTY = "portside.log.burst";
    static final String WINDOW_PROPERTY = "portside.log.window";
    static final int DEFAULT_BURST = 10;
    static final Duration DEFAULT_WINDOW = Duration.ofSeconds(10);
    static final Duration MIN_WINDOW = Duration.ofMillis(100);
    /** Kinds counted one by one in a window; lines of further kinds share one "other" count. */
    static final int MAX_KINDS = 1000;

    static final LogLimits DEFAULTS = new LogLimits(DEFAULT_BURST, DEFAULT_WINDOW, MAX_KINDS);

    LogLimits {
        if (burst < 1) {
            throw new IllegalArgumentException("burst must be at least 1 (the first line of a kind always prints): " + burst);
        }
        if (window.compareTo(MIN_WINDOW) < 0) {
            throw new IllegalArgumentException("window must be at least " + MIN_WINDOW.toMillis() + "ms: " + window.toMillis() + "ms");
        }
        if (maxKinds < 1) {
            throw new IllegalArgumentException("maxKinds must be at least 1: " + maxKinds);
        }
    }

    /**
     * The limits the system properties ask for. A bad value is refused: the default applies (logging stays limited)
     * and one sentence saying why is added to {@code problems}, for the caller to log once logging is set up.
     */
    static LogLimits fromSystemProperties(List<String> problems) {
        int burst = DEFAULT_BURST;
        String burstText = System.getProperty(BURST_PROPERTY);
        if (burstText != null) {
            try {
                burst = Integer.parseInt(burstText.trim());
                if (burst < 1) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                problems.add(refused(BURST_PROPERTY, burstText, "a whole number of at least 1", DEFAULT_BURST + ""));
                burst = DEFAULT_BURST;
            }
        }
        Duration window = DEFAULT_WINDOW;
        String windowText = System.getProperty(WINDOW_PROPERTY);
        if (windowText != null) {
            window = duration(windowText);
            if (window == null || window.compareTo(MIN_WINDOW) < 0) {
                problems.add(refused(WINDOW_PROPERTY, windowText, "a duration of at least 100ms, e.g. 500ms, 10s, 1m", "10s"));
                window = DEFAULT_WINDOW;
            }
        }
        return new LogLimits(burst, window, MAX_KINDS);
    }

    private static String refused(String property, String value, String expected, String fallback) {
        return "Ignoring -D" + property + "='" + value + "': expected " + expected + "; using " + fallback;
    }

    /** {@code 500ms}, {@code 10s}, {@code 1.5s}, {@code 2m}, or plain seconds; {@code null} if it is none of these. */
    static Duration duration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2).trim()));
            }
            if (t.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1).trim()));
            }
            String seconds = t.endsWith("s") ? t.substring(0, t.length() - 1).trim() : t;
            double s = Double.parseDouble(seconds);
            return Double.isFinite(s) && s >= 0 && s < 1e9 ? Duration.ofMillis(Math.round(s * 1000)) : null;
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
    }

    /** The window as people write it: {@code 10 s}, {@code 500 ms}. */
    String windowText() {
        long ms = window.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    }
}
