package io.portside.server.proxy.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * The address and port fields of a version 1 line, parsed strictly by hand: no {@link java.net.InetAddress#getByName}
 * (which would ask DNS for anything that is not a literal, and accepts forms the spec does not).
 */
final class TextAddresses {

    private static final int MAX_PORT = 65535;
    private static final int IPV6_GROUPS = 8;

    private TextAddresses() {
    }

    /** Four decimal numbers 0..255, one dot apart, no leading zeros. */
    static byte[] ipv4(String text) throws ProxyHeaderException {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw fail(ProxyFailure.V1_BAD_ADDRESS);
        }
        byte[] address = new byte[4];
        for (int i = 0; i < 4; i++) {
            address[i] = (byte) decimal(parts[i], 3, 255, ProxyFailure.V1_BAD_ADDRESS);
        }
        return address;
    }

    /** Colon-separated groups of up to four hex digits, at most one {@code ::}, optionally ending in dotted IPv4. */
    static byte[] ipv6(String text) throws ProxyHeaderException {
        int gap = text.indexOf("::");
        if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
            throw fail(ProxyFailure.V1_BAD_ADDRESS);
        }
        List<Integer> head = groups(gap < 0 ? text : text.substring(0, gap), gap < 0);
        List<Integer> tail = gap < 0 ? List.of() : groups(text.substring(gap + 2), true);
        int given = head.size() + tail.size();
        if (gap < 0 ? given != IPV6_GROUPS : given > IPV6_GROUPS - 1) {
            throw fail(ProxyFailure.V1_BAD_ADDRESS);
        }
        byte[] address = new byte[16];
        put(address, head, 0);
        put(address, tail, IPV6_GROUPS - tail.size());
        return address;
    }

    /** A decimal port 0..65535 without leading zeros. */
    static int port(String text) throws ProxyHeaderException {
        return decimal(text, 5, MAX_PORT, ProxyFailure.V1_PORT_OUT_OF_RANGE);
    }

    private static List<Integer> groups(String part, boolean mayEndInIpv4) throws ProxyHeaderException {
        List<Integer> groups = new ArrayList<>();
        if (part.isEmpty()) {
            return groups;
        }
        String[] pieces = part.split(":", -1);
        for (int i = 0; i < pieces.length; i++) {
            String piece = pieces[i];
            if (mayEndInIpv4 && i == pieces.length - 1 && piece.indexOf('.') >= 0) {
                byte[] v4 = ipv4(piece);
                groups.add(((v4[0] & 0xFF) << 8) | (v4[1] & 0xFF));
                groups.add(((v4[2] & 0xFF) << 8) | (v4[3] & 0xFF));
            } else {
                groups.add(hexGroup(piece));
            }
        }
        return groups;
    }

    private static int hexGroup(String piece) throws ProxyHeaderException {
        if (piece.isEmpty() || piece.length() > 4) {
            throw fail(ProxyFailure.V1_BAD_ADDRESS);
        }
        int value = 0;
        for (int i = 0; i < piece.length(); i++) {
            int digit = Character.digit(piece.charAt(i), 16);
            if (digit < 0) {
                throw fail(ProxyFailure.V1_BAD_ADDRESS);
            }
            value = value * 16 + digit;
        }
        return value;
    }

    private static void put(byte[] address, List<Integer> groups, int firstGroup) {
        for (int i = 0; i < groups.size(); i++) {
            address[2 * (firstGroup + i)] = (byte) (groups.get(i) >>> 8);
            address[2 * (firstGroup + i) + 1] = groups.get(i).byteValue();
        }
    }

    /** ASCII digits only (no sign, no Unicode digits), no leading zero, at most {@code maxDigits} and {@code max}. */
    private static int decimal(String text, int maxDigits, int max, ProxyFailure bad) throws ProxyHeaderException {
        if (text.isEmpty() || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw fail(bad);
        }
        if (text.length() > 1 && text.charAt(0) == '0') {
            throw fail(ProxyFailure.V1_LEADING_ZERO);
        }
        if (text.length() > maxDigits || Integer.parseInt(text) > max) {
            throw fail(bad);
        }
        return Integer.parseInt(text);
    }

    private static ProxyHeaderException fail(ProxyFailure failure) {
        return new ProxyHeaderException(failure);
    }
}
