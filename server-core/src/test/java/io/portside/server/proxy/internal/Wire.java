package io.portside.server.proxy.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** Feeds bytes to {@link ProxyHeaderReader} as a connection would, and checks what is left behind. */
final class Wire {

    static final byte[] PAYLOAD = "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private Wire() {
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    /** Reads the header off {@code header + PAYLOAD}, asserting the payload is left intact, byte for byte. */
    static ProxyHeader accept(byte[] header, ProxyMode mode) {
        ByteArrayInputStream in = new ByteArrayInputStream(V2Bytes.concat(header, PAYLOAD));
        ProxyHeader read = read(in, mode);
        assertEquals(header.length, read.length(), "the header's length");
        assertArrayEquals(PAYLOAD, in.readAllBytes(), "what follows the header is left for the handler");
        return read;
    }

    static ProxyHeader accept(byte[] header) {
        return accept(header, ProxyMode.ANY);
    }

    /** The failure a header is refused with, payload appended. */
    static ProxyFailure refuse(byte[] header, ProxyMode mode) {
        InputStream in = new ByteArrayInputStream(V2Bytes.concat(header, PAYLOAD));
        return assertThrows(ProxyHeaderException.class, () -> ProxyHeaderReader.read(in, mode)).failure();
    }

    /** The failure a header is refused with when the connection sends nothing more. */
    static ProxyFailure refuseAlone(byte[] header, ProxyMode mode) {
        InputStream in = new ByteArrayInputStream(header);
        return assertThrows(ProxyHeaderException.class, () -> ProxyHeaderReader.read(in, mode)).failure();
    }

    static ProxyFailure refuse(byte[] header) {
        return refuse(header, ProxyMode.ANY);
    }

    static ProxyHeader read(InputStream in, ProxyMode mode) {
        try {
            return ProxyHeaderReader.read(in, mode);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
