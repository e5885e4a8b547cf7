package io.portside.sample.echo;

/** ASCII-only case mapping, byte for byte, as Python's {@code bytes.upper()}: the length never changes. */
final class Ascii {

    private Ascii() {
    }

    static void upperInPlace(byte[] bytes, int offset, int length) {
        for (int i = offset, end = offset + length; i < end; i++) {
            byte b = bytes[i];
            if (b >= 'a' && b <= 'z') {
                bytes[i] = (byte) (b - 32);
            }
        }
    }

    static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == 0x0b || b == 0x0c;
    }
}
