package io.portside.handler.api;

import java.net.InetAddress;
import java.util.Arrays;

/**
 * An IPv4 or IPv6 address range in CIDR notation: {@code 10.0.0.0/8}, {@code 2001:db8::/32}, or a single address
 * ({@code 192.0.2.7}, {@code ::1}). IPv4-mapped IPv6 ranges ({@code ::ffff:10.0.0.0/104}) are stored as the IPv4
 * range they denote, and IPv4-mapped client addresses are compared as IPv4, so one rule covers a client whether it
 * reaches an IPv4 or a dual-stack IPv6 socket. Ranges with host bits set are refused: {@code 10.1.2.3/8} is more
 * likely a typo than a wish for {@code 10.0.0.0/8}. Host names are refused, never looked up.
 *
 * <p>One parser for every address list: the address policy's {@code allow}/{@code deny}, a listener's
 * {@code proxy.trusted}.
 *
 * @since 1.6
 */
public final class AddressRange {

    private final byte[] network;
    private final int prefix;

    private AddressRange(byte[] network, int prefix) {
        this.network = network;
        this.prefix = prefix;
    }

    /**
     * @throws IllegalArgumentException saying what is wrong with {@code text}
     */
    public static AddressRange parse(String text) {
        String s = text.strip();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty address range");
        }
        int slash = s.indexOf('/');
        byte[] bytes = IpLiterals.parse(slash < 0 ? s : s.substring(0, slash));
        int bits = bytes.length * 8;
        int length = bits;
        if (slash >= 0) {
            String p = s.substring(slash + 1);
            if (!p.matches("\\d{1,3}") || Integer.parseInt(p) > bits) {
                throw new IllegalArgumentException("'" + s + "' has an invalid prefix length (expected 0-" + bits + ")");
            }
            length = Integer.parseInt(p);
        }
        if (IpLiterals.isV4Mapped(bytes)) {
            if (length < 96) {
                throw new IllegalArgumentException("'" + s + "' is an IPv4-mapped range shorter than /96; write the IPv4 range instead");
            }
            bytes = Arrays.copyOfRange(bytes, 12, 16);
            length -= 96;
        }
        AddressRange cidr = new AddressRange(bytes, length);
        byte[] masked = cidr.mask(bytes);
        if (!Arrays.equals(masked, bytes)) {
            throw new IllegalArgumentException("'" + s + "' has host bits set (did you mean " + new AddressRange(masked, length) + "?)");
        }
        return cidr;
    }

    /** True if {@code address} lies in this range; IPv4 ranges never contain IPv6 addresses and vice versa. */
    public boolean contains(InetAddress address) {
        byte[] a = IpLiterals.normalize(address);
        return a.length == network.length && Arrays.equals(mask(a), network);
    }

    private byte[] mask(byte[] address) {
        byte[] out = address.clone();
        for (int i = 0; i < out.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            out[i] &= (byte) (0xff00 >> keep);
        }
        return out;
    }

    @Override
    public String toString() {
        try {
            String host = InetAddress.getByAddress(network).getHostAddress();
            return host + "/" + prefix;
        } catch (java.net.UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AddressRange c && c.prefix == prefix && Arrays.equals(c.network, network);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(network) * 31 + prefix;
    }
}
