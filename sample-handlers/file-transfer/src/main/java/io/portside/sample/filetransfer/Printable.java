package io.portside.sample.filetransfer;

/** Client-supplied text made safe to put in a log line or a reply: printable ASCII only, and short. */
final class Printable {

    private static final int MAX = 80;

    private Printable() {
    }

    static String of(String text) {
        StringBuilder sb = new StringBuilder(Math.min(text.length(), MAX + 3));
        for (int i = 0; i < text.length() && sb.length() < MAX; i++) {
            char c = text.charAt(i);
            sb.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        if (text.length() > MAX) {
            sb.append("...");
        }
        return sb.toString();
    }
}
