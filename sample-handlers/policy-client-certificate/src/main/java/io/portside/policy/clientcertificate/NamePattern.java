package io.portside.policy.clientcertificate;

import java.util.Locale;

/**
 * One item of {@code allow.names} or {@code deny.names}: a name compared without regard to case, or {@code *.domain}
 * for any host name exactly one label below it (not an email address in that domain). A URI ({@code spiffe://acme/billing}) is compared exactly: its path is
 * case-sensitive.
 */
record NamePattern(String text) {

    NamePattern {
        if (text.isEmpty() || text.indexOf('*') >= 0 && (!text.startsWith("*.") || text.indexOf('*', 1) >= 0 || text.length() < 3)) {
            throw new IllegalArgumentException("'" + text + "' is not a name or *.domain");
        }
    }

    boolean matches(String name) {
        if (text.contains("://")) {
            return text.equals(name);
        }
        if (text.startsWith("*.")) {
            String suffix = text.substring(1).toLowerCase(Locale.ROOT);
            String lower = name.toLowerCase(Locale.ROOT);
            return lower.endsWith(suffix) && lower.substring(0, lower.length() - suffix.length()).matches("[a-z0-9-]+");
        }
        return text.equalsIgnoreCase(name);
    }

    @Override
    public String toString() {
        return text;
    }
}
