package io.portside.server.tls.internal;

import java.util.Locale;

/** A listener's {@code tls.client.auth}: whether clients must, may or need not present a certificate. */
public enum ClientAuth {
    NONE, OPTIONAL, REQUIRED;

    /** The value as written in a {@code .cfg}: none, optional or required; empty or null for none. */
    static ClientAuth parse(String value) {
        if (value == null || value.isBlank()) {
            return NONE;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "none" -> NONE;
            case "optional" -> OPTIONAL;
            case "required" -> REQUIRED;
            default -> throw new IllegalArgumentException("'" + TlsSettings.CLIENT_AUTH
                    + "' must be none, optional or required: '" + value + "'");
        };
    }
}
