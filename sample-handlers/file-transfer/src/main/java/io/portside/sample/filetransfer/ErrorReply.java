package io.portside.sample.filetransfer;

import java.nio.charset.StandardCharsets;

/**
 * An error answer: one line {@code ERR <CODE> <text>\n}. It can never be mistaken for a file size (sizes are
 * ASCII digits only), and a client can read it with {@code readline}. The connection stays open for the next command.
 */
record ErrorReply(Code code, String text) {

    /** What went wrong, as a stable word a client can switch on. */
    enum Code {
        /** The line is not a command this server knows, or is not UTF-8, or is too long. */
        BAD_COMMAND,
        /** The file name is refused as written: absolute, {@code ..}, control characters, backslash, too long. */
        BAD_NAME,
        /** The name leads outside the served folder (through a symbolic link). */
        OUTSIDE_ROOT,
        /** No such file. */
        NOT_FOUND,
        /** The name is a directory or another kind of non-regular file. */
        NOT_A_FILE,
        /** The file exists but cannot be read. */
        UNREADABLE,
        /** The served folder itself is missing or unreadable. */
        UNAVAILABLE
    }

    byte[] bytes() {
        return ("ERR " + code + " " + text + "\n").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return code + " " + text;
    }
}
