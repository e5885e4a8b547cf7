package io.portside.server.proxy.internal;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import io.portside.handler.api.ProxyInfo.Tlv;

/** Generates valid, mutated and random headers for {@link ProxyHeaderFuzzTest}. */
final class FuzzHeaders {

    private static final int[] FAMILIES = {0x00, 0x01, 0x10, 0x11, 0x12, 0x21, 0x22, 0x31, 0x32};
    private static final int[] TLV_TYPES = {Tlv.ALPN, Tlv.AUTHORITY, Tlv.UNIQUE_ID, Tlv.NETNS, Tlv.NOOP, 0xE0, 0xF7, 0x77};

    private final Random random;

    FuzzHeaders(Random random) {
        this.random = random;
    }

    byte[] validV1() {
        return switch (random.nextInt(3)) {
            case 0 -> ascii("PROXY TCP4 " + ipv4() + " " + ipv4() + " " + port() + " " + port() + "\r\n");
            case 1 -> ascii("PROXY TCP6 " + ipv6() + " " + ipv6() + " " + port() + " " + port() + "\r\n");
            default -> ascii("PROXY UNKNOWN" + (random.nextBoolean() ? "" : " " + printable(random.nextInt(92))) + "\r\n");
        };
    }

    byte[] validV2() {
        V2Bytes header = random.nextInt(5) == 0 ? V2Bytes.local() : V2Bytes.proxy();
        int family = FAMILIES[random.nextInt(FAMILIES.length)];
        header.family(family);
        switch (family >>> 4) {
            case 1 -> header.addresses(bytes(12));
            case 2 -> header.addresses(nonMapped(), nonMapped(), bytes(4));
            case 3 -> header.addresses(V2Bytes.unixPath(printable(random.nextInt(109)).replace(' ', '/')),
                    V2Bytes.unixPath(printable(random.nextInt(20))));
            default -> { }
        }
        for (int i = random.nextInt(5); i > 0; i--) {
            if (random.nextInt(6) == 0) {
                header.tlv(Tlv.SSL, ssl());
            } else {
                header.tlv(TLV_TYPES[random.nextInt(TLV_TYPES.length)], bytes(random.nextInt(40)));
            }
        }
        if (random.nextInt(3) == 0) {
            header.crc();
        }
        return header.build();
    }

    /** One to four changes: a byte set, a bit flipped, a byte inserted or removed, a cut, a length field rewritten. */
    byte[] mutate(byte[] header) {
        byte[] bytes = header;
        for (int i = 1 + random.nextInt(4); i > 0 && bytes.length > 0; i--) {
            int at = random.nextInt(bytes.length);
            bytes = switch (random.nextInt(6)) {
                case 0 -> set(bytes, at, random.nextInt(256));
                case 1 -> set(bytes, at, bytes[at] ^ (1 << random.nextInt(8)));
                case 2 -> V2Bytes.concat(Arrays.copyOf(bytes, at), new byte[] {(byte) random.nextInt(256)},
                        Arrays.copyOfRange(bytes, at, bytes.length));
                case 3 -> V2Bytes.concat(Arrays.copyOf(bytes, at), Arrays.copyOfRange(bytes, at + 1, bytes.length));
                case 4 -> Arrays.copyOf(bytes, at);
                default -> bytes.length >= 16 ? set(set(bytes, 14, random.nextInt(2)), 15, random.nextInt(256)) : bytes;
            };
        }
        return bytes;
    }

    /** Random bytes, often behind a signature so the fuzz gets past the first check. */
    byte[] random() {
        byte[] tail = bytes(random.nextInt(120));
        return switch (random.nextInt(3)) {
            case 0 -> V2Bytes.concat(V2Bytes.SIGNATURE, new byte[] {(byte) (0x20 | random.nextInt(2))}, tail);
            case 1 -> V2Bytes.concat(ascii("PROXY "), tail);
            default -> tail;
        };
    }

    private byte[] ssl() {
        ByteArrayOutputStream subs = new ByteArrayOutputStream();
        for (int i = random.nextInt(4); i > 0; i--) {
            subs.writeBytes(V2Bytes.tlvBytes(0x21 + random.nextInt(8), ascii(printable(random.nextInt(20)))));
        }
        return V2Bytes.ssl(random.nextInt(8), random.nextBoolean() ? 0 : random.nextInt() & 0xFFFF_FFFFL, subs.toByteArray());
    }

    private String ipv4() {
        return random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256);
    }

    /** Java's full form, or a compressed loopback, or a mapped IPv4 as HAProxy's inet_ntop writes it. */
    private String ipv6() {
        return switch (random.nextInt(4)) {
            case 0 -> "::1";
            case 1 -> "::ffff:" + ipv4();
            default -> {
                try {
                    yield InetAddress.getByAddress(nonMapped()).getHostAddress();
                } catch (UnknownHostException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
    }

    /** Sixteen random bytes that are not an IPv4-mapped address (Java would print those as IPv4). */
    private byte[] nonMapped() {
        byte[] address = bytes(16);
        address[0] = (byte) (0x20 | random.nextInt(16));
        return address;
    }

    private int port() {
        return random.nextInt(65536);
    }

    private String printable(int length) {
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = (char) (0x21 + random.nextInt(0x7E - 0x21 + 1));
        }
        return new String(chars);
    }

    private byte[] bytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private static byte[] set(byte[] bytes, int at, int value) {
        byte[] changed = bytes.clone();
        changed[at] = (byte) value;
        return changed;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
