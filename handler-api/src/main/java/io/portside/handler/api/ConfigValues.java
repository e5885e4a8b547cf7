package io.portside.handler.api;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Configuration values read the way Portside reads them, with one wording for what is wrong: the host's listener
 * configurations and the policy bundles both use these, so a duration or a list means the same in every file.
 *
 * <p>A value may be a {@code String} (a {@code .cfg} file), a {@link Number}, an array or a {@link Collection} (a
 * typed {@code .config} file, or a component's own properties). Every message names the key and the value, e.g.
 * {@code 'drain.timeout' is not a duration: 'x' (expected e.g. 500ms, 30s, 2m)}.
 *
 * <p><b>Lists</b> ({@link #list}): items are separated by commas and/or white space, so {@code a,b}, {@code a, b} and
 * {@code a b} are the same two items; each element of an array or collection is split the same way. Two kinds of
 * value keep a single separator because their items may contain the other: {@link #commaList} (items that may
 * contain spaces, such as a socket path) and {@link #words} (items that may contain commas, such as JVM options).
 */
public final class ConfigValues {

    private static final Pattern COMMAS_OR_SPACES = Pattern.compile("[,\\s]+");
    private static final Pattern COMMAS = Pattern.compile(",");
    private static final Pattern SPACES = Pattern.compile("\\s+");
    /** A plain decimal: not Java's extras ({@code NaN}, {@code Infinity}, hex, a {@code d} or {@code f} suffix, so {@code 2d} is no "2"). */
    private static final String NUMBER = "[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d{1,3})?";
    private static final Pattern DECIMAL = Pattern.compile(NUMBER);
    /** A number and an optional unit: milliseconds, seconds (the default) or minutes. */
    private static final Pattern DURATION = Pattern.compile("(" + NUMBER + ")\\s*(ms|s|m)?");

    private ConfigValues() {
    }

    /** True for a value that counts as not given: absent, or blank text. */
    public static boolean isAbsent(Object value) {
        return value == null || value instanceof String s && s.isBlank();
    }

    /** The value as trimmed text; empty when absent. */
    public static String text(Object value) {
        return value == null ? "" : value.toString().trim();
    }

    /** The items of a list value, separated by commas and/or white space; empty when absent. */
    public static List<String> list(Object value) {
        return split(value, COMMAS_OR_SPACES);
    }

    /** The items of a value separated by commas only (each trimmed), for items that may contain spaces. */
    public static List<String> commaList(Object value) {
        return split(value, COMMAS);
    }

    /** The words of a value separated by white space only, for items that may contain commas (command-line options). */
    public static List<String> words(Object value) {
        return split(value, SPACES);
    }

    private static List<String> split(Object value, Pattern separator) {
        List<String> items = new ArrayList<>();
        Collection<?> parts = value == null ? List.of()
                : value instanceof Object[] array ? List.of(array)
                : value instanceof Collection<?> c ? c : List.of(value);
        for (Object part : parts) {
            for (String item : separator.split(String.valueOf(part))) {
                if (!item.isBlank()) {
                    items.add(item.trim());
                }
            }
        }
        return items;
    }

    /**
     * A whole number of at least {@code min} and at most {@code max}.
     *
     * @throws IllegalArgumentException {@code 'key' is not a whole number: 'x'}, {@code 'key' must be at least 1: 0}
     *                                  or {@code 'key' must be at most 9: 10}
     */
    public static int integer(String key, Object value, int min, int max) {
        String text = text(value);
        int n;
        try {
            // A typed number counts if it is whole and fits (4L, 4.0); text must be digits (not "4.0").
            n = value instanceof Number ? new BigDecimal(text).intValueExact() : Integer.parseInt(text);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException(quoted(key) + " is not a whole number: '" + text + "'");
        }
        if (n < min) {
            throw new IllegalArgumentException(quoted(key) + " must be at least " + min + ": " + n);
        }
        if (n > max) {
            throw new IllegalArgumentException(quoted(key) + " must be at most " + max + ": " + n);
        }
        return n;
    }

    /**
     * A finite decimal number above {@code bound}.
     *
     * @throws IllegalArgumentException {@code 'key' is not a number: 'x'} or {@code 'key' must be above 0: -1}
     */
    public static double decimalAbove(String key, Object value, double bound) {
        String text = text(value);
        double d = DECIMAL.matcher(text).matches() ? Double.parseDouble(text) : Double.NaN;
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException(quoted(key) + " is not a number: '" + text + "'");
        }
        if (!(d > bound)) {
            throw new IllegalArgumentException(quoted(key) + " must be above " + plain(bound) + ": " + text);
        }
        return d;
    }

    /**
     * A duration of zero or more: {@code 500ms}, {@code 30s}, {@code 2m}, or a plain number of seconds; decimals are
     * allowed ({@code 1.5s}) and the result is rounded to the millisecond.
     *
     * @throws IllegalArgumentException {@code 'key' is not a duration: 'x' (expected e.g. 500ms, 30s, 2m)} or
     *                                  {@code 'key' must not be negative: '-1s'}
     */
    public static Duration duration(String key, Object value) {
        String text = text(value);
        Matcher m = DURATION.matcher(text.toLowerCase(Locale.ROOT));
        Duration d;
        try {
            if (!m.matches()) {
                throw new NumberFormatException(text);
            }
            long millisPerUnit = m.group(2) == null || m.group(2).equals("s") ? 1000 : m.group(2).equals("ms") ? 1 : 60_000;
            d = Duration.ofMillis(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(millisPerUnit))
                    .setScale(0, RoundingMode.HALF_UP).longValueExact());
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException(quoted(key) + " is not a duration: '" + text + "' (expected e.g. 500ms, 30s, 2m)");
        }
        if (d.isNegative()) {
            throw new IllegalArgumentException(quoted(key) + " must not be negative: '" + text + "'");
        }
        return d;
    }

    /**
     * A duration above zero, as {@link #duration}.
     *
     * @throws IllegalArgumentException as {@link #duration}, or {@code 'key' must be above 0: '0s'}
     */
    public static Duration positiveDuration(String key, Object value) {
        Duration d = duration(key, value);
        if (d.isZero()) {
            throw new IllegalArgumentException(quoted(key) + " must be above 0: '" + text(value) + "'");
        }
        return d;
    }

    private static String quoted(String key) {
        return "'" + key + "'";
    }

    /** {@code 0} rather than {@code 0.0} in messages. */
    private static String plain(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
