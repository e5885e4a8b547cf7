package io.portside.handler.api;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One configuration key, declared once: its name, its default, and how its value is parsed and checked. A
 * configuration's options are a table of these constants, from which its known keys, its defaults and its typed
 * values all come:
 *
 * <pre>{@code
 * static final ConfigOption<Duration> DRAIN_TIMEOUT = ConfigOption.duration("drain.timeout", Duration.ofSeconds(30));
 * Duration drain = DRAIN_TIMEOUT.from(properties); // 30s when the key is absent or blank
 * }</pre>
 *
 * Parsing and messages are those of {@link ConfigValues}; a bad value throws {@link IllegalArgumentException} naming
 * the key and the value.
 *
 * @param <T> the type of the parsed value
 */
public final class ConfigOption<T> {

    /** Parses a given (not absent, not blank) value of {@code key}. */
    @FunctionalInterface
    public interface Parser<T> {
        /** @throws IllegalArgumentException naming {@code key} and the value that is wrong */
        T parse(String key, Object value);
    }

    private final String key;
    private final T defaultValue;
    private final Parser<T> parser;

    private ConfigOption(String key, T defaultValue, Parser<T> parser) {
        this.key = Objects.requireNonNull(key);
        this.defaultValue = defaultValue;
        this.parser = Objects.requireNonNull(parser);
    }

    /** An option with its own parser; {@code defaultValue} may be null (for "not given"). */
    public static <T> ConfigOption<T> of(String key, T defaultValue, Parser<T> parser) {
        return new ConfigOption<>(key, defaultValue, parser);
    }

    /** Trimmed text; empty when absent. */
    public static ConfigOption<String> text(String key) {
        return of(key, "", (k, v) -> ConfigValues.text(v));
    }

    /** A list ({@link ConfigValues#list}: commas and/or white space); empty when absent. */
    public static ConfigOption<List<String>> list(String key) {
        return of(key, List.of(), (k, v) -> List.copyOf(ConfigValues.list(v)));
    }

    /** Words separated by white space only ({@link ConfigValues#words}); empty when absent. */
    public static ConfigOption<List<String>> words(String key) {
        return of(key, List.of(), (k, v) -> List.copyOf(ConfigValues.words(v)));
    }

    /** A whole number of at least {@code min}; the default (which may be null) is not checked against it. */
    public static ConfigOption<Integer> integer(String key, Integer defaultValue, int min) {
        return integer(key, defaultValue, min, Integer.MAX_VALUE);
    }

    /** A whole number from {@code min} to {@code max}. */
    public static ConfigOption<Integer> integer(String key, Integer defaultValue, int min, int max) {
        return of(key, defaultValue, (k, v) -> ConfigValues.integer(k, v, min, max));
    }

    /** A finite decimal number above {@code bound}. */
    public static ConfigOption<Double> decimalAbove(String key, Double defaultValue, double bound) {
        return of(key, defaultValue, (k, v) -> ConfigValues.decimalAbove(k, v, bound));
    }

    /** A duration of zero or more ({@link ConfigValues#duration}). */
    public static ConfigOption<Duration> duration(String key, Duration defaultValue) {
        return of(key, defaultValue, ConfigValues::duration);
    }

    /** A duration above zero ({@link ConfigValues#positiveDuration}). */
    public static ConfigOption<Duration> positiveDuration(String key, Duration defaultValue) {
        return of(key, defaultValue, ConfigValues::positiveDuration);
    }

    public String key() {
        return key;
    }

    public T defaultValue() {
        return defaultValue;
    }

    /** True if {@code properties} give this key a value (present and not blank). */
    public boolean isSet(Map<String, ?> properties) {
        return !ConfigValues.isAbsent(properties.get(key));
    }

    /**
     * The value {@code properties} give this key, or the default when absent or blank.
     *
     * @throws IllegalArgumentException naming the key and the value, for a value that does not parse or is out of bounds
     */
    public T from(Map<String, ?> properties) {
        return from(properties, defaultValue);
    }

    /** As {@link #from(Map)}, with a default computed by the caller (e.g. from another option's value). */
    public T from(Map<String, ?> properties, T fallback) {
        Object value = properties.get(key);
        return ConfigValues.isAbsent(value) ? fallback : parser.parse(key, value);
    }

    @Override
    public String toString() {
        return key;
    }
}
