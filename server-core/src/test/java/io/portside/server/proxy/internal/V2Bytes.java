package io.portside.server.proxy.internal;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/** Builds version 2 headers for tests, well-formed unless told otherwise. */
final class V2Bytes {

    static final byte[] SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    private int versionCommand = 0x21;
    private int family;
    private final ByteArrayOutputStream addresses = new ByteArrayOutputStream();
    private final ByteArrayOutputStream tlvs = new ByteArrayOutputStream();
    private int length = -1;
    private boolean crc;

    static V2Bytes proxy() {
        return new V2Bytes();
    }

    static V2Bytes local() {
        return new V2Bytes().versionCommand(0x20);
    }

    V2Bytes versionCommand(int value) {
        versionCommand = value;
        return this;
    }

    V2Bytes family(int value) {
        family = value;
        return this;
    }

    V2Bytes inet(String source, int sourcePort, String destination, int destinationPort) {
        return family(0x11).addresses(ip(source), ip(destination), port(sourcePort), port(destinationPort));
    }

    V2Bytes inet6(String source, int sourcePort, String destination, int destinationPort) {
        return family(0x21).addresses(ip(source), ip(destination), port(sourcePort), port(destinationPort));
    }

    V2Bytes unix(String source, String destination) {
        return family(0x31).addresses(unixPath(source), unixPath(destination));
    }

    V2Bytes addresses(byte[]... parts) {
        for (byte[] part : parts) {
            addresses.writeBytes(part);
        }
        return this;
    }

    V2Bytes tlv(int type, byte[] value) {
        tlvs.writeBytes(tlvBytes(type, value));
        return this;
    }

    V2Bytes tlv(int type, String value) {
        return tlv(type, value.getBytes(StandardCharsets.UTF_8));
    }

    /** Bytes after the addresses that need not be a TLV. */
    V2Bytes raw(byte[] bytes) {
        tlvs.writeBytes(bytes);
        return this;
    }

    /** Appends a CRC32C TLV, filled in by {@link #build()}. */
    V2Bytes crc() {
        crc = true;
        return this;
    }

    /** Overrides the length field (else the true length). */
    V2Bytes length(int value) {
        length = value;
        return this;
    }

    byte[] build() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(SIGNATURE);
        out.write(versionCommand);
        out.write(family);
        int body = addresses.size() + tlvs.size() + (crc ? 7 : 0);
        int declared = length >= 0 ? length : body;
        out.write(declared >>> 8);
        out.write(declared & 0xFF);
        out.writeBytes(addresses.toByteArray());
        out.writeBytes(tlvs.toByteArray());
        if (crc) {
            out.writeBytes(tlvBytes(0x03, new byte[4]));
        }
        byte[] header = out.toByteArray();
        if (crc) {
            CRC32C sum = new CRC32C();
            sum.update(header);
            long value = sum.getValue();
            for (int i = 0; i < 4; i++) {
                header[header.length - 4 + i] = (byte) (value >>> (24 - 8 * i));
            }
        }
        return header;
    }

    static byte[] tlvBytes(int type, byte[] value) {
        byte[] tlv = new byte[3 + value.length];
        tlv[0] = (byte) type;
        tlv[1] = (byte) (value.length >>> 8);
        tlv[2] = (byte) value.length;
        System.arraycopy(value, 0, tlv, 3, value.length);
        return tlv;
    }

    /** The value of an SSL TLV: client flags, verify, then sub-TLVs. */
    static byte[] ssl(int client, long verify, byte[]... subTlvs) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(client);
        for (int i = 0; i < 4; i++) {
            out.write((int) (verify >>> (24 - 8 * i)) & 0xFF);
        }
        for (byte[] sub : subTlvs) {
            out.writeBytes(sub);
        }
        return out.toByteArray();
    }

    static byte[] ip(String literal) {
        try {
            byte[] address = InetAddress.getByName(literal).getAddress();
            if (literal.contains(":") && address.length == 4) {
                throw new IllegalArgumentException("use a non-mapped IPv6 literal: " + literal);
            }
            return address;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static byte[] port(int port) {
        return new byte[] {(byte) (port >>> 8), (byte) port};
    }

    static byte[] unixPath(String path) {
        byte[] field = new byte[108];
        byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(bytes, 0, field, 0, bytes.length);
        return field;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
