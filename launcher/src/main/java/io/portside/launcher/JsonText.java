package io.portside.launcher;

/**
 * JSON strings as RFC 8259 writes them, and one flat object of string (or number) members per log line. The launcher
 * has no JSON library on its class path (only the Felix framework); this writes, never reads, so it stays small.
 * Everything outside printable ASCII is escaped as {@code \\uXXXX}: a line is valid JSON and one line whatever the
 * console's encoding, and a lone surrogate (not encodable as UTF-8) becomes U+FFFD instead of a '?' or a broken byte.
 */
final class JsonText {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final StringBuilder out = new StringBuilder(256).append('{');
    private boolean first = true;

    /** Adds {@code "key":"value"}; a {@code null} value leaves the member out. */
    JsonText field(String key, String value) {
        if (value != null) {
            name(key);
            string(out, value);
        }
        return this;
    }

    /** Adds {@code "key":value} for a number. */
    JsonText field(String key, long value) {
        name(key);
        out.append(value);
        return this;
    }

    private void name(String key) {
        if (!first) {
            out.append(',');
        }
        first = false;
        string(out, key);
        out.append(':');
    }

    /** The object, closed, without a line separator. */
    String end() {
        return out.append('}').toString();
    }

    /** Appends {@code s} as a quoted JSON string. */
    static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c >= 0x20 && c < 0x7f) {
                        out.append(c);
                    } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                        unicode(out, c);
                        unicode(out, s.charAt(++i)); // a valid pair stays one character
                    } else if (Character.isSurrogate(c)) {
                        unicode(out, '\ufffd'); // a lone half of a pair: no encoder can write it
                    } else {
                        unicode(out, c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static void unicode(StringBuilder out, char c) {
        out.append("\\u").append(HEX[c >> 12 & 0xf]).append(HEX[c >> 8 & 0xf]).append(HEX[c >> 4 & 0xf]).append(HEX[c & 0xf]);
    }

    /** {@code s} as a quoted JSON string. */
    static String quoted(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2);
        string(b, s);
        return b.toString();
    }
}
