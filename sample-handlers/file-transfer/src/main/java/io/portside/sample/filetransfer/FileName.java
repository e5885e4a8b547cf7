package io.portside.sample.filetransfer;

import java.nio.charset.StandardCharsets;

/**
 * The syntax check of a requested file name, before any file system call: a relative path of plain segments.
 * Refused: empty names, absolute paths, empty, {@code .} and {@code ..} segments, backslashes, NUL and other control
 * characters, segments over 255 bytes and names over 1000 bytes. This alone keeps names inside the root lexically;
 * {@link FileRoot} then checks where symbolic links lead.
 */
final class FileName {

    static final int MAX_NAME_BYTES = 1000;
    static final int MAX_SEGMENT_BYTES = 255;

    private FileName() {
    }

    /** Why {@code name} is refused, or {@code null} if its syntax is acceptable. */
    static String problem(String name) {
        if (name.isEmpty()) {
            return "empty file name";
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            return "file name longer than " + MAX_NAME_BYTES + " bytes";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return "control character in file name";
            }
            if (c == '\\') {
                return "backslash in file name";
            }
        }
        if (name.startsWith("/")) {
            return "absolute path";
        }
        for (String segment : name.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".")) {
                return "empty or '.' path segment";
            }
            if (segment.equals("..")) {
                return "'..' in file name";
            }
            if (segment.getBytes(StandardCharsets.UTF_8).length > MAX_SEGMENT_BYTES) {
                return "path segment longer than " + MAX_SEGMENT_BYTES + " bytes";
            }
        }
        return null;
    }
}
