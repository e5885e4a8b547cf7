package io.portside.server.proxy.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32C;

import io.portside.handler.api.ProxyInfo;
import io.portside.handler.api.ProxyInfo.Tlv;

/** The TLVs after a version 2 address block: each must end inside its enclosure, a CRC32C must match. */
final class TlvParser {

    /**
     * How deep SSL TLVs may nest: HAProxy sends one level (an SSL TLV whose sub-TLVs are strings); one SSL TLV inside
     * another is tolerated, deeper nesting is refused so a crafted header cannot make us recurse thousands deep.
     */
    static final int MAX_SSL_DEPTH = 2;

    private static final int TLV_HEADER = 3;
    private static final int SSL_FIXED = 5;
    private static final int CRC_LENGTH = 4;

    /** The TLVs of a header, and its SSL TLV decoded. */
    record Parsed(List<Tlv> tlvs, Optional<ProxyInfo.Ssl> ssl) {
    }

    /** Where one TLV lies in the header. */
    @FunctionalInterface
    private interface TlvSink {
        void accept(int type, int valueAt, int end) throws ProxyHeaderException;
    }

    private TlvParser() {
    }

    /** Parses the TLVs in {@code header[from, total)}; {@code total} is the whole header's length, for the CRC. */
    static Parsed parse(byte[] header, int from, int total) throws ProxyHeaderException {
        List<Tlv> tlvs = new ArrayList<>();
        SslTlv[] ssl = new SslTlv[1];
        walk(header, from, total, (type, valueAt, end) -> {
            if (type == Tlv.CRC32C) {
                checkCrc(header, total, valueAt, end - valueAt);
            } else if (type == Tlv.SSL) {
                SslTlv decoded = ssl(header, valueAt, end, 1);
                if (ssl[0] == null) {
                    ssl[0] = decoded;
                }
            }
            tlvs.add(new Tlv(type, Arrays.copyOfRange(header, valueAt, end)));
        });
        return new Parsed(tlvs, Optional.ofNullable(ssl[0]));
    }

    private static void walk(byte[] header, int from, int to, TlvSink sink) throws ProxyHeaderException {
        int at = from;
        while (at < to) {
            if (to - at < TLV_HEADER) {
                throw new ProxyHeaderException(ProxyFailure.LENGTHS_DO_NOT_ADD_UP);
            }
            int valueAt = at + TLV_HEADER;
            int end = valueAt + unsigned16(header, at + 1);
            if (end > to) {
                throw new ProxyHeaderException(ProxyFailure.TLV_OVERRUN);
            }
            sink.accept(header[at] & 0xFF, valueAt, end);
            at = end;
        }
    }

    private static SslTlv ssl(byte[] header, int from, int to, int depth) throws ProxyHeaderException {
        if (depth > MAX_SSL_DEPTH) {
            throw new ProxyHeaderException(ProxyFailure.SSL_NESTED_TOO_DEEP);
        }
        if (to - from < SSL_FIXED) {
            throw new ProxyHeaderException(ProxyFailure.LENGTHS_DO_NOT_ADD_UP);
        }
        int flags = header[from] & 0xFF;
        long verify = ((long) unsigned16(header, from + 1) << 16) | unsigned16(header, from + 3);
        List<Tlv> subs = new ArrayList<>();
        walk(header, from + SSL_FIXED, to, (type, valueAt, end) -> {
            if (type == Tlv.SSL) {
                ssl(header, valueAt, end, depth + 1);
            }
            subs.add(new Tlv(type, Arrays.copyOfRange(header, valueAt, end)));
        });
        return new SslTlv(flags, verify, subs);
    }

    /** RFC 4960 appendix B: the CRC32C of the whole header with the checksum's own four bytes zeroed. */
    private static void checkCrc(byte[] header, int total, int valueAt, int length) throws ProxyHeaderException {
        if (length != CRC_LENGTH) {
            throw new ProxyHeaderException(ProxyFailure.LENGTHS_DO_NOT_ADD_UP);
        }
        long sent = ((long) unsigned16(header, valueAt) << 16) | unsigned16(header, valueAt + 2);
        byte[] zeroed = Arrays.copyOf(header, total);
        Arrays.fill(zeroed, valueAt, valueAt + CRC_LENGTH, (byte) 0);
        CRC32C crc = new CRC32C();
        crc.update(zeroed);
        if (crc.getValue() != sent) {
            throw new ProxyHeaderException(ProxyFailure.BAD_CRC32C);
        }
    }

    static int unsigned16(byte[] bytes, int at) {
        return ((bytes[at] & 0xFF) << 8) | (bytes[at + 1] & 0xFF);
    }
}
