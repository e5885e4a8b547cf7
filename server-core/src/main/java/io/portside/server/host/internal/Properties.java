package io.portside.server.host.internal;

import java.time.Duration;
import java.util.List;

import io.portside.handler.api.ConfigValues;

/** Service and framework property values, read as {@link ConfigValues} reads configuration values. */
final class Properties {

    private Properties() {
    }

    /**
     * The items of an endpoint list ({@code portside.endpoint}): a String, array or collection, its text separated by
     * commas only, since a {@code unix:} path may contain spaces.
     */
    static List<String> strings(Object value) {
        return ConfigValues.commaList(value);
    }

    /**
     * A duration ({@link ConfigValues#duration}: {@code 500ms}, {@code 30s}, {@code 2m}, or plain seconds).
     *
     * @param key the property's name, for the message
     */
    static Duration duration(String text, String key) {
        return ConfigValues.duration(key, text);
    }
}
