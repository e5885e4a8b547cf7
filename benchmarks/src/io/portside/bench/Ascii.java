package io.portside.bench;

/** ASCII upper-casing in place, byte for byte, as Python's {@code bytes.upper()} (the echo sample's rule). */
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
}
