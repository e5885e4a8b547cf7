package io.portside.handler.api;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Strict parsing of IP address literals. Host names are refused rather than looked up: a policy must never wait
 * for DNS on the accepting thread, nor change its meaning when DNS does.
 */
final class IpLiterals {

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9a-fA-F:.]+");

    private IpLiterals() {
    }

    /**
     * The address bytes of an IPv4 (4 bytes) or IPv6 (16 bytes) literal. An IPv4-mapped IPv6 literal
     * ({@code ::ffff:10.0.0.1}) is returned as its 16 bytes, so callers can tell it was written in IPv6 form.
     *
     * @throws IllegalArgumentException saying what is wrong with {@code text}
     */
    static byte[] parse(String text) {
        String s = text.strip();
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        if (s.indexOf(':') >= 0) {
            return parseIpv6(s, text);
        }
        Matcher m = IPV4.matcher(s);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address (only IPv4 and IPv6 literals; host names are not looked up)");
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            String octet = m.group(i + 1);
            if (octet.length() > 1 && octet.charAt(0) == '0') {
                throw new IllegalArgumentException("'" + text + "' has an octet with a leading zero (ambiguous: octal or decimal?)");
            }
            int v = Integer.parseInt(octet);
            if (v > 255) {
                throw new IllegalArgumentException("'" + text + "' has an octet above 255");
            }
            bytes[i] = (byte) v;
        }
        return bytes;
    }

    private static byte[] parseIpv6(String s, String original) {
        if (!IPV6_CHARS.matcher(s).matches()) {
            throw new IllegalArgumentException("'" + original + "' is not an IPv6 address (zone ids and host names are not accepted)");
        }
        InetAddress parsed;
        try {
            // Only hex digits, ':' and '.': the JDK parses this as a literal and never consults DNS.
            parsed = InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + original + "' is not a valid IPv6 address");
        }
        if (parsed instanceof Inet4Address v4) {
            // The JDK turns ::ffff:a.b.c.d into an IPv4 address; keep the IPv6 form so the prefix length stays meaningful.
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xff;
            mapped[11] = (byte) 0xff;
            System.arraycopy(v4.getAddress(), 0, mapped, 12, 4);
            return mapped;
        }
        return parsed.getAddress();
    }

    /** True for the 16 bytes of an IPv4-mapped IPv6 address ({@code ::ffff:0:0/96}). */
    static boolean isV4Mapped(byte[] bytes) {
        if (bytes.length != 16) {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
    }

    /** A client address as compared with ranges: IPv4-mapped IPv6 addresses become the IPv4 address they carry. */
    static byte[] normalize(InetAddress address) {
        byte[] bytes = address.getAddress();
        return isV4Mapped(bytes) ? Arrays.copyOfRange(bytes, 12, 16) : bytes;
    }
}
