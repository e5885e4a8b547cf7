package io.portside.server.proxy.internal;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The listener key {@code proxy.protocol}: which PROXY protocol versions a listener expects ahead of each connection. */
public enum ProxyMode {
    /** No header; the default. */
    NONE,
    /** The version 1 text line only. */
    V1,
    /** The version 2 binary header only. */
    V2,
    /** Either version. */
    ANY;

    /** The key's value as written in configuration ({@code none}, {@code v1}, {@code v2}, {@code any}). */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether a connection must start with a header. */
    public boolean enabled() {
        return this != NONE;
    }

    /** Whether a header of this version (1 or 2) is accepted. */
    public boolean accepts(int version) {
        return switch (this) {
            case NONE -> false;
            case V1 -> version == 1;
            case V2 -> version == 2;
            case ANY -> version == 1 || version == 2;
        };
    }

    /** Parses a configured value; {@code null} or blank is {@link #NONE}. */
    public static ProxyMode parse(String value) {
        if (value == null || value.isBlank()) {
            return NONE;
        }
        String wanted = value.strip().toLowerCase(Locale.ROOT);
        for (ProxyMode mode : values()) {
            if (mode.key().equals(wanted)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("proxy.protocol must be one of "
                + Arrays.stream(values()).map(ProxyMode::key).collect(Collectors.joining(", ")) + ", not " + value);
    }
}
