package io.portside.server.host.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Reading service and configuration property values, which may be a String, an array or a collection. */
final class Properties {

    private Properties() {
    }

    static List<String> strings(Object value) {
        List<String> out = new ArrayList<>();
        if (value instanceof String s) {
            for (String part : s.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
        } else if (value instanceof String[] array) {
            for (String s : array) {
                out.addAll(strings(s));
            }
        } else if (value instanceof Collection<?> c) {
            for (Object o : c) {
                out.addAll(strings(String.valueOf(o)));
            }
        } else if (value != null) {
            out.addAll(strings(String.valueOf(value)));
        }
        return out;
    }

    /** Parses {@code 500ms}, {@code 30s}, {@code 2m}, or a plain number of seconds. */
    static Duration duration(String text, String what) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        try {
            Duration d;
            if (t.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2).trim()));
            } else if (t.endsWith("s")) {
                d = Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1).trim()) * 1000));
            } else if (t.endsWith("m")) {
                d = Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1).trim()) * 60);
            } else {
                d = Duration.ofMillis(Math.round(Double.parseDouble(t) * 1000));
            }
            if (d.isNegative()) {
                throw new IllegalArgumentException(what + " must not be negative: '" + text + "'");
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " is not a duration: '" + text + "' (expected e.g. 500ms, 30s, 2m)");
        }
    }
}
