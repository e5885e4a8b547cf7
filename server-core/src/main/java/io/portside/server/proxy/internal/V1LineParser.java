package io.portside.server.proxy.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;

/** The text line: {@code PROXY TCP4|TCP6 <source> <destination> <source port> <destination port>\r\n}. */
final class V1LineParser {

    /** The shortest line: {@code PROXY UNKNOWN\r\n}. */
    static final int MIN = 15;
    /** The longest line, CRLF included: {@code UNKNOWN} with two full IPv6 addresses and two 5-digit ports. */
    static final int MAX = 107;

    private static final byte[] PREFIX = "PROXY ".getBytes(StandardCharsets.US_ASCII);
    private static final String UNKNOWN = "UNKNOWN";
    private static final int FIELDS = 5;

    private V1LineParser() {
    }

    /** Whether the bytes so far may still be a version 1 line. */
    static boolean couldBe(byte[] prefix, int length) {
        for (int i = 0; i < Math.min(length, PREFIX.length); i++) {
            if (prefix[i] != PREFIX[i]) {
                return false;
            }
        }
        return true;
    }

    /** Whether the bytes so far hold the whole {@code PROXY } prefix. */
    static boolean signatureComplete(int length) {
        return length >= PREFIX.length;
    }

    /**
     * The line's length once its CRLF has arrived, else -1. Fails on a byte no line may hold (so garbage is refused
     * at once rather than after 107 bytes), on a CR or LF alone, and on a line that cannot end within 107 bytes.
     */
    static int lineLength(byte[] prefix, int length) throws ProxyHeaderException {
        for (int i = PREFIX.length; i < length; i++) {
            byte b = prefix[i];
            if (b == '\r') {
                if (i + 1 < length && prefix[i + 1] != '\n') {
                    throw new ProxyHeaderException(ProxyFailure.V1_BAD_CHARACTER);
                }
                if (i + 1 < length) {
                    return i + 2;
                }
            } else if (b < 0x20 || b > 0x7E) {
                throw new ProxyHeaderException(ProxyFailure.V1_BAD_CHARACTER);
            }
        }
        if (length >= MAX) {
            throw new ProxyHeaderException(ProxyFailure.V1_LINE_TOO_LONG);
        }
        return -1;
    }

    /** Parses a whole line of {@code length} bytes, CRLF included, that {@link #lineLength} found. */
    static ProxyHeader parse(byte[] line, int length) throws ProxyHeaderException {
        if (length < MIN) {
            // Nothing this short is a valid line; refusing it also keeps "never read past a header" true.
            throw new ProxyHeaderException(ProxyFailure.V1_BAD_FIELDS);
        }
        String text = new String(line, PREFIX.length, length - PREFIX.length - 2, StandardCharsets.US_ASCII);
        if (text.equals(UNKNOWN) || text.startsWith(UNKNOWN + " ")) {
            // The spec: whatever follows UNKNOWN up to the CRLF is ignored.
            return ProxyHeader.v1Unknown(length);
        }
        String[] fields = text.split(" ", -1);
        boolean v4 = fields[0].equals("TCP4");
        if (!v4 && !fields[0].equals("TCP6")) {
            throw new ProxyHeaderException(ProxyFailure.V1_UNKNOWN_PROTOCOL);
        }
        if (fields.length != FIELDS) {
            throw new ProxyHeaderException(ProxyFailure.V1_BAD_FIELDS);
        }
        InetAddress source = address(fields[1], v4);
        InetAddress destination = address(fields[2], v4);
        int sourcePort = TextAddresses.port(fields[3]);
        int destinationPort = TextAddresses.port(fields[4]);
        return ProxyHeader.v1(new InetSocketAddress(source, sourcePort), new InetSocketAddress(destination, destinationPort),
                length);
    }

    private static InetAddress address(String field, boolean v4) throws ProxyHeaderException {
        boolean looksV6 = field.indexOf(':') >= 0;
        if (looksV6 == v4) {
            // Refuse a well-formed address of the other family; anything else is just a bad address.
            if (wellFormed(field, !v4)) {
                throw new ProxyHeaderException(ProxyFailure.V1_WRONG_FAMILY);
            }
            throw new ProxyHeaderException(ProxyFailure.V1_BAD_ADDRESS);
        }
        try {
            return InetAddress.getByAddress(v4 ? TextAddresses.ipv4(field) : TextAddresses.ipv6(field));
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static boolean wellFormed(String field, boolean v4) {
        try {
            if (v4) {
                TextAddresses.ipv4(field);
            } else {
                TextAddresses.ipv6(field);
            }
            return true;
        } catch (ProxyHeaderException e) {
            return false;
        }
    }
}
