package io.portside.server.proxy.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.util.Arrays;
import java.util.Optional;

/**
 * The binary header: a 12-byte signature, version and command, family and transport, a 16-bit length, then that many
 * bytes of addresses and TLVs.
 */
final class V2HeaderParser {

    /** The fixed part: signature, version/command, family/transport, length. */
    static final int FIXED = 16;

    private static final byte[] SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
    private static final int VERSION_AT = 12;
    private static final int FAMILY_AT = 13;
    private static final int LENGTH_AT = 14;
    private static final int COMMAND_LOCAL = 0x0;
    private static final int COMMAND_PROXY = 0x1;
    private static final int FAMILY_UNSPEC = 0x0;
    private static final int FAMILY_INET = 0x1;
    private static final int FAMILY_INET6 = 0x2;
    private static final int FAMILY_UNIX = 0x3;
    private static final int TRANSPORT_DGRAM = 0x2;
    private static final int UNIX_PATH = 108;

    private V2HeaderParser() {
    }

    /** Whether the bytes so far may still be a version 2 signature. */
    static boolean couldBe(byte[] prefix, int length) {
        return Arrays.equals(prefix, 0, Math.min(length, SIGNATURE.length), SIGNATURE, 0, Math.min(length, SIGNATURE.length));
    }

    /** Whether the bytes so far hold the whole signature. */
    static boolean signatureComplete(int length) {
        return length >= SIGNATURE.length;
    }

    /** Checks what of the fixed part has arrived, so a bad header fails before its length is waited for. */
    static void checkFixed(byte[] prefix, int length) throws ProxyHeaderException {
        if (length > VERSION_AT) {
            if ((prefix[VERSION_AT] & 0xF0) != 0x20) {
                throw new ProxyHeaderException(ProxyFailure.UNSUPPORTED_VERSION);
            }
            if (command(prefix) > COMMAND_PROXY) {
                throw new ProxyHeaderException(ProxyFailure.UNKNOWN_COMMAND);
            }
        }
        if (length > FAMILY_AT) {
            if (family(prefix) > FAMILY_UNIX) {
                throw new ProxyHeaderException(ProxyFailure.UNKNOWN_FAMILY);
            }
            if (transport(prefix) > TRANSPORT_DGRAM) {
                throw new ProxyHeaderException(ProxyFailure.UNKNOWN_TRANSPORT);
            }
        }
    }

    /** The whole header's length, once the fixed part is in. */
    static int totalLength(byte[] fixed) {
        return FIXED + TlvParser.unsigned16(fixed, LENGTH_AT);
    }

    /** Parses a whole header of {@code total} bytes whose fixed part {@link #checkFixed} accepted. */
    static ProxyHeader parse(byte[] header, int total) throws ProxyHeaderException {
        int family = family(header);
        int tlvsAt = FIXED + addressBlock(family);
        if (tlvsAt > total) {
            throw new ProxyHeaderException(ProxyFailure.ADDRESS_BLOCK_TOO_LONG);
        }
        boolean local = command(header) == COMMAND_LOCAL;
        // LOCAL and unspecified families or transports carry no client: the connection's own endpoints stand.
        boolean addressed = !local && family != FAMILY_UNSPEC && transport(header) != 0;
        Optional<SocketAddress> source = addressed ? Optional.of(address(header, family, true)) : Optional.empty();
        Optional<SocketAddress> destination = addressed ? Optional.of(address(header, family, false)) : Optional.empty();
        TlvParser.Parsed tlvs = TlvParser.parse(header, tlvsAt, total);
        return new ProxyHeader(2, local, source, destination, tlvs.tlvs(), tlvs.ssl(), total);
    }

    private static int addressBlock(int family) {
        return switch (family) {
            case FAMILY_INET -> 2 * 4 + 2 * 2;
            case FAMILY_INET6 -> 2 * 16 + 2 * 2;
            case FAMILY_UNIX -> 2 * UNIX_PATH;
            default -> 0;
        };
    }

    private static SocketAddress address(byte[] header, int family, boolean source) throws ProxyHeaderException {
        if (family == FAMILY_UNIX) {
            return unixAddress(header, FIXED + (source ? 0 : UNIX_PATH));
        }
        int size = family == FAMILY_INET ? 4 : 16;
        int addressAt = FIXED + (source ? 0 : size);
        int portAt = FIXED + 2 * size + (source ? 0 : 2);
        try {
            // getByAddress never asks DNS; an IPv4-mapped IPv6 address comes back as the IPv4 address it maps.
            InetAddress address = InetAddress.getByAddress(Arrays.copyOfRange(header, addressAt, addressAt + size));
            return new InetSocketAddress(address, TlvParser.unsigned16(header, portAt));
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /**
     * A NUL-terminated path of at most 108 bytes. An unnamed or abstract socket (leading NUL) has no path a
     * {@link UnixDomainSocketAddress} can hold, so it reads as the unnamed address.
     */
    private static SocketAddress unixAddress(byte[] header, int at) throws ProxyHeaderException {
        int end = at;
        while (end < at + UNIX_PATH && header[end] != 0) {
            end++;
        }
        try {
            String path = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(header, at, end - at)).toString();
            return UnixDomainSocketAddress.of(path);
        } catch (CharacterCodingException | InvalidPathException e) {
            throw new ProxyHeaderException(ProxyFailure.BAD_UNIX_ADDRESS);
        }
    }

    private static int command(byte[] header) {
        return header[VERSION_AT] & 0x0F;
    }

    private static int family(byte[] header) {
        return (header[FAMILY_AT] & 0xF0) >>> 4;
    }

    private static int transport(byte[] header) {
        return header[FAMILY_AT] & 0x0F;
    }
}
