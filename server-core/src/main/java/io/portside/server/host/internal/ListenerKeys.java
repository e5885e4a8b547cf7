package io.portside.server.host.internal;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The keys a listener configuration may hold. An unknown key is refused rather than ignored: a misspelt
 * {@code policy.required} would otherwise serve without the policies it names (fail open). Keys that ConfigAdmin,
 * FileInstall and SCR add themselves are allowed.
 */
final class ListenerKeys {

    /** The keys {@link ListenerConfig} declares. */
    static final Set<String> KNOWN = ListenerConfig.keys();

    private static final String[] FRAMEWORK_PREFIXES = {"service.", "felix.", "component.", "osgi.", "."};

    private ListenerKeys() {
    }

    static void requireKnown(Map<String, Object> props) {
        Set<String> unknown = new TreeSet<>();
        for (String key : props.keySet()) {
            if (!KNOWN.contains(key) && !frameworkKey(key)) {
                unknown.add(key);
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown key" + (unknown.size() > 1 ? "s " : " ") + quoted(unknown)
                    + " (known: " + String.join(", ", new TreeSet<>(KNOWN)) + ")");
        }
    }

    private static boolean frameworkKey(String key) {
        for (String prefix : FRAMEWORK_PREFIXES) {
            if (key.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private static String quoted(Set<String> keys) {
        StringBuilder out = new StringBuilder();
        for (String k : keys) {
            out.append(out.isEmpty() ? "" : ", ").append('\'').append(k).append('\'');
        }
        return out.toString();
    }

    /**
     * A hint when a value carries what looks like a trailing comment ({@code concurrency=pool   # sync | ...}): a
     * properties file has none, so the comment became part of the value. Empty when no value looks like that.
     */
    static String trailingCommentHint(Map<String, Object> props) {
        for (Map.Entry<String, Object> e : new java.util.TreeMap<>(props).entrySet()) {
            if (frameworkKey(e.getKey())) {
                continue;
            }
            String v = String.valueOf(e.getValue());
            int hash = v.indexOf(" #");
            if (hash < 0) {
                hash = v.indexOf("\t#");
            }
            if (hash >= 0) {
                return "; note: '" + e.getKey() + "' is '" + v.strip() + "': a .cfg file has no comments after a value,"
                        + " put the comment on a line of its own";
            }
        }
        return "";
    }

    /**
     * The endpoint an invalid configuration still claims, so that nobody else serves it while the file is wrong: the
     * {@code endpoint} value, or its first word when the whole value does not parse. Null when not even that parses.
     */
    static Endpoint claimedEndpoint(Map<String, Object> props, java.nio.file.Path home) {
        if (!ListenerConfig.ENDPOINT.isSet(props)) {
            return null;
        }
        String text = ListenerConfig.ENDPOINT.from(props);
        for (String candidate : new String[] {text, text.split("[\\s#,]+", 2)[0]}) {
            try {
                return Endpoint.parse(candidate, home);
            } catch (IllegalArgumentException notThis) {
                // try the next reading
            }
        }
        return null;
    }
}
