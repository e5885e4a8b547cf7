package io.portside.handler.api;

import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The PROXY protocol header (HAProxy's {@code doc/proxy-protocol.txt}) a load balancer sent ahead of a connection, on a
 * listener with {@code proxy.protocol} on ({@link StreamRequest#proxy()}). The addresses it carries are already the
 * request's client and server addresses; this tells a handler the rest: the version, whether it was the proxy's own
 * connection ({@code LOCAL}, a health check), and the version 2 TLVs (ALPN, authority, TLS details, unique id).
 *
 * @since 1.6
 */
@ProviderType
public interface ProxyInfo {

    /** The header's version: 1 (the text line) or 2 (binary). */
    int version();

    /**
     * True for a version 2 {@code LOCAL} header: the proxy opened the connection for itself (a health check), so it
     * carries no client; the connection's own endpoints stand.
     */
    boolean local();

    /**
     * The original client's address ({@link java.net.InetSocketAddress}, or a {@link java.net.UnixDomainSocketAddress}
     * for a forwarded Unix socket); empty for {@code LOCAL}, a version 1 {@code UNKNOWN} line and an unspecified family.
     */
    Optional<SocketAddress> source();

    /** The address the client connected to at the proxy; empty where {@link #source()} is. */
    Optional<SocketAddress> destination();

    /** The version 2 TLVs in the order sent (CRC32C and NOOP included); empty for version 1. */
    List<Tlv> tlvs();

    /** The first TLV of the given type, if sent. */
    default Optional<Tlv> tlv(int type) {
        return tlvs().stream().filter(t -> t.type() == type).findFirst();
    }

    /** The application protocol the client negotiated with the proxy (TLS ALPN), e.g. {@code h2}. */
    default Optional<String> alpn() {
        return tlv(Tlv.ALPN).map(t -> new String(t.value(), StandardCharsets.ISO_8859_1));
    }

    /** The host name the client asked the proxy for (TLS SNI or similar), UTF-8. */
    default Optional<String> authority() {
        return tlv(Tlv.AUTHORITY).map(t -> new String(t.value(), StandardCharsets.UTF_8));
    }

    /** The proxy's opaque identifier of the connection (up to 128 bytes), for correlating logs across layers. */
    default Optional<byte[]> uniqueId() {
        return tlv(Tlv.UNIQUE_ID).map(Tlv::value);
    }

    /** The name of the network namespace the proxy accepted the connection in. */
    default Optional<String> netns() {
        return tlv(Tlv.NETNS).map(t -> new String(t.value(), StandardCharsets.US_ASCII));
    }

    /** What the proxy knows of the client's TLS connection to it ({@code PP2_TYPE_SSL}), if it sent that. */
    Optional<Ssl> ssl();

    /** One type-length-value field of a version 2 header; the value is copied in and out. */
    record Tlv(int type, byte[] value) {

        /** {@code PP2_TYPE_ALPN}. */
        public static final int ALPN = 0x01;
        /** {@code PP2_TYPE_AUTHORITY}. */
        public static final int AUTHORITY = 0x02;
        /** {@code PP2_TYPE_CRC32C}. */
        public static final int CRC32C = 0x03;
        /** {@code PP2_TYPE_NOOP}. */
        public static final int NOOP = 0x04;
        /** {@code PP2_TYPE_UNIQUE_ID}. */
        public static final int UNIQUE_ID = 0x05;
        /** {@code PP2_TYPE_SSL}. */
        public static final int SSL = 0x20;
        /** {@code PP2_TYPE_NETNS}. */
        public static final int NETNS = 0x30;

        public Tlv {
            if (type < 0 || type > 0xFF) {
                throw new IllegalArgumentException("a TLV type is one byte: " + type);
            }
            if (value.length > 0xFFFF) {
                throw new IllegalArgumentException("a TLV value is at most 65535 bytes: " + value.length);
            }
            value = value.clone();
        }

        /** A copy of the value. */
        @Override
        public byte[] value() {
            return value.clone();
        }

        /** The value's length. */
        public int length() {
            return value.length;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Tlv t && t.type == type && Arrays.equals(t.value, value);
        }

        @Override
        public int hashCode() {
            return 31 * type + Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "Tlv[type=0x" + HexFormat.of().toHexDigits((byte) type) + ", value=" + HexFormat.of().formatHex(value) + "]";
        }
    }

    /** The {@code PP2_TYPE_SSL} TLV: the client's TLS connection to the proxy. */
    @ProviderType
    interface Ssl {

        /** {@code PP2_CLIENT_SSL}: the client connected over TLS. */
        int CLIENT_SSL = 0x01;
        /** {@code PP2_CLIENT_CERT_CONN}: the client sent a certificate on this connection. */
        int CLIENT_CERT_CONN = 0x02;
        /** {@code PP2_CLIENT_CERT_SESS}: the client sent a certificate at least once in this TLS session. */
        int CLIENT_CERT_SESS = 0x04;

        /** The {@code client} bit field ({@link #CLIENT_SSL}, {@link #CLIENT_CERT_CONN}, {@link #CLIENT_CERT_SESS}). */
        int clientFlags();

        /** The {@code verify} field as sent (an unsigned 32-bit number): zero when the certificate was verified. */
        long verifyResult();

        /** True when the client sent a certificate (on this connection or its session) and the proxy verified it. */
        default boolean verified() {
            return verifyResult() == 0 && (clientFlags() & (CLIENT_CERT_CONN | CLIENT_CERT_SESS)) != 0;
        }

        /** The TLS version, e.g. {@code TLSv1.3} ({@code PP2_SUBTYPE_SSL_VERSION}). */
        Optional<String> version();

        /** The client certificate's subject common name ({@code PP2_SUBTYPE_SSL_CN}). */
        Optional<String> commonName();

        /** The cipher, e.g. {@code ECDHE-RSA-AES128-GCM-SHA256} ({@code PP2_SUBTYPE_SSL_CIPHER}). */
        Optional<String> cipher();

        /** The algorithm that signed the proxy's certificate, e.g. {@code RSA-SHA256} ({@code PP2_SUBTYPE_SSL_SIG_ALG}). */
        Optional<String> signatureAlgorithm();

        /** The algorithm of the proxy certificate's key, e.g. {@code RSA2048} ({@code PP2_SUBTYPE_SSL_KEY_ALG}). */
        Optional<String> keyAlgorithm();

        /** Every sub-TLV as sent, the ones above included (group, signature scheme, client certificate, ...). */
        List<Tlv> subTlvs();
    }
}
