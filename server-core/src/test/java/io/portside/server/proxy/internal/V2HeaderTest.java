package io.portside.server.proxy.internal;

import static io.portside.server.proxy.internal.V2Bytes.ssl;
import static io.portside.server.proxy.internal.V2Bytes.tlvBytes;
import static io.portside.server.proxy.internal.Wire.accept;
import static io.portside.server.proxy.internal.Wire.ascii;
import static io.portside.server.proxy.internal.Wire.refuse;
import static io.portside.server.proxy.internal.Wire.refuseAlone;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.portside.handler.api.ProxyInfo;
import io.portside.handler.api.ProxyInfo.Tlv;

class V2HeaderTest {

    @Test
    void proxyOverIpv4() {
        ProxyHeader header = accept(V2Bytes.proxy().inet("10.1.2.3", 40000, "192.168.0.11", 443).build());
        assertEquals(2, header.version());
        assertFalse(header.local());
        assertEquals(Optional.of(new InetSocketAddress("10.1.2.3", 40000)), header.source());
        assertEquals(Optional.of(new InetSocketAddress("192.168.0.11", 443)), header.destination());
        assertEquals(List.of(), header.tlvs());
        assertEquals(28, header.length());
    }

    @Test
    void proxyOverIpv6AndUdp() {
        ProxyHeader header = accept(V2Bytes.proxy().inet6("2001:db8::1", 65535, "::1", 0).build());
        assertEquals(Optional.of(new InetSocketAddress("2001:db8::1", 65535)), header.source());
        assertEquals(Optional.of(new InetSocketAddress("::1", 0)), header.destination());
        ProxyHeader udp = accept(V2Bytes.proxy().inet("10.0.0.1", 53, "10.0.0.2", 53).family(0x12).build());
        assertEquals(Optional.of(new InetSocketAddress("10.0.0.1", 53)), udp.source());
    }

    @Test
    void proxyOverUnixSockets() {
        ProxyHeader header = accept(V2Bytes.proxy().unix("/run/client.sock", "/run/haproxy/app.sock").build());
        assertEquals(Optional.of(UnixDomainSocketAddress.of("/run/client.sock")), header.source());
        assertEquals(Optional.of(UnixDomainSocketAddress.of("/run/haproxy/app.sock")), header.destination());
        ProxyHeader unnamed = accept(V2Bytes.proxy().unix("", "/x").build());
        assertEquals(Optional.of(UnixDomainSocketAddress.of("")), unnamed.source());
        byte[] full = new byte[108];
        java.util.Arrays.fill(full, (byte) 'a');
        ProxyHeader unterminated = accept(V2Bytes.proxy().family(0x31).addresses(full, full).build());
        assertEquals(Optional.of(UnixDomainSocketAddress.of("a".repeat(108))), unterminated.source());
    }

    @Test
    void localIsTheProxysOwnConnectionWhateverItCarries() {
        ProxyHeader check = accept(V2Bytes.local().build());
        assertTrue(check.local());
        assertEquals(Optional.empty(), check.source());
        ProxyHeader withAddresses = accept(V2Bytes.local().inet("10.1.2.3", 1, "10.1.2.4", 2).tlv(Tlv.NOOP, new byte[0]).build());
        assertTrue(withAddresses.local());
        assertEquals(Optional.empty(), withAddresses.source(), "LOCAL ignores the addresses it carries");
        assertEquals(List.of(new Tlv(Tlv.NOOP, new byte[0])), withAddresses.tlvs());
    }

    @Test
    void anUnspecifiedFamilyOrTransportNamesNoClient() {
        assertEquals(Optional.empty(), accept(V2Bytes.proxy().build()).source());
        assertEquals(Optional.empty(), accept(V2Bytes.proxy().inet("10.1.2.3", 1, "10.1.2.4", 2).family(0x10).build()).source());
        assertEquals(Optional.empty(), accept(V2Bytes.proxy().family(0x01).raw(new byte[] {(byte) 0xE0, 0, 1, 7}).build()).source());
    }

    @Test
    void tlvsAreExposedRawAndTyped() {
        byte[] id = {1, 2, 3, (byte) 0xFF};
        ProxyHeader header = accept(V2Bytes.proxy().inet("10.1.2.3", 1, "10.1.2.4", 2)
                .tlv(Tlv.ALPN, "h2").tlv(Tlv.AUTHORITY, "app.example").tlv(Tlv.UNIQUE_ID, id)
                .tlv(Tlv.NETNS, "blue").tlv(Tlv.NOOP, new byte[3]).tlv(0xE1, "custom").crc().build());
        assertEquals(Optional.of("h2"), header.alpn());
        assertEquals(Optional.of("app.example"), header.authority());
        assertArrayEquals(id, header.uniqueId().orElseThrow());
        assertEquals(Optional.of("blue"), header.netns());
        assertEquals(Optional.empty(), header.ssl());
        assertEquals(List.of(Tlv.ALPN, Tlv.AUTHORITY, Tlv.UNIQUE_ID, Tlv.NETNS, Tlv.NOOP, 0xE1, Tlv.CRC32C),
                header.tlvs().stream().map(Tlv::type).toList());
        assertEquals(new Tlv(0xE1, ascii("custom")), header.tlv(0xE1).orElseThrow());
    }

    @Test
    void theSslTlvAndItsSubTlvs() {
        byte[] value = ssl(0x07, 0, tlvBytes(0x21, ascii("TLSv1.3")), tlvBytes(0x22, ascii("client.example")),
                tlvBytes(0x23, ascii("TLS_AES_256_GCM_SHA384")), tlvBytes(0x24, ascii("ecdsa-with-SHA256")),
                tlvBytes(0x25, ascii("EC256")), tlvBytes(0x26, ascii("X25519")));
        ProxyHeader header = accept(V2Bytes.proxy().inet("10.1.2.3", 1, "10.1.2.4", 2).tlv(Tlv.SSL, value).build());
        ProxyInfo.Ssl ssl = header.ssl().orElseThrow();
        assertEquals(0x07, ssl.clientFlags());
        assertTrue(ssl.verified());
        assertEquals(Optional.of("TLSv1.3"), ssl.version());
        assertEquals(Optional.of("client.example"), ssl.commonName());
        assertEquals(Optional.of("TLS_AES_256_GCM_SHA384"), ssl.cipher());
        assertEquals(Optional.of("ecdsa-with-SHA256"), ssl.signatureAlgorithm());
        assertEquals(Optional.of("EC256"), ssl.keyAlgorithm());
        assertEquals(6, ssl.subTlvs().size());
        assertArrayEquals(value, header.tlv(Tlv.SSL).orElseThrow().value());

        ProxyInfo.Ssl failed = accept(V2Bytes.proxy().tlv(Tlv.SSL, ssl(0x03, 0xFFFF_FFFFL)).build()).ssl().orElseThrow();
        assertEquals(0xFFFF_FFFFL, failed.verifyResult());
        assertFalse(failed.verified());
        assertFalse(accept(V2Bytes.proxy().tlv(Tlv.SSL, ssl(0x01, 0)).build()).ssl().orElseThrow().verified(),
                "no certificate, nothing verified");
    }

    @Test
    void oneSslTlvInsideAnotherIsTolerated() {
        byte[] inner = tlvBytes(Tlv.SSL, ssl(0x01, 0));
        assertEquals(1, accept(V2Bytes.proxy().tlv(Tlv.SSL, ssl(0x01, 0, inner)).build()).ssl().orElseThrow().subTlvs().size());
    }

    @Test
    void theFixedPartIsChecked() {
        byte[] good = V2Bytes.proxy().inet("10.1.2.3", 1, "10.1.2.4", 2).build();
        assertEquals(ProxyFailure.WRONG_SIGNATURE, refuse(with(good, 11, 0x0B)));
        assertEquals(ProxyFailure.WRONG_SIGNATURE, refuse(with(good, 4, 0x01)));
        assertEquals(ProxyFailure.UNSUPPORTED_VERSION, refuse(with(good, 12, 0x11)));
        assertEquals(ProxyFailure.UNSUPPORTED_VERSION, refuse(with(good, 12, 0x31)));
        assertEquals(ProxyFailure.UNKNOWN_COMMAND, refuse(with(good, 12, 0x22)));
        assertEquals(ProxyFailure.UNKNOWN_COMMAND, refuse(with(good, 12, 0x2F)));
        assertEquals(ProxyFailure.UNKNOWN_FAMILY, refuse(with(good, 13, 0x41)));
        assertEquals(ProxyFailure.UNKNOWN_TRANSPORT, refuse(with(good, 13, 0x13)));
    }

    @Test
    void lengthsMustAddUp() {
        assertEquals(ProxyFailure.ADDRESS_BLOCK_TOO_LONG, refuse(V2Bytes.proxy().inet("10.1.2.3", 1, "10.1.2.4", 2).length(11).build()));
        assertEquals(ProxyFailure.ADDRESS_BLOCK_TOO_LONG, refuse(V2Bytes.proxy().family(0x21).addresses(new byte[35]).build()));
        assertEquals(ProxyFailure.ADDRESS_BLOCK_TOO_LONG, refuse(V2Bytes.local().family(0x31).build()));
        assertEquals(ProxyFailure.LENGTHS_DO_NOT_ADD_UP, refuse(V2Bytes.proxy().inet("10.1.2.3", 1, "10.1.2.4", 2).raw(new byte[] {1, 0}).build()));
        assertEquals(ProxyFailure.LENGTHS_DO_NOT_ADD_UP, refuse(V2Bytes.proxy().tlv(Tlv.SSL, new byte[4]).build()));
        assertEquals(ProxyFailure.LENGTHS_DO_NOT_ADD_UP, refuse(V2Bytes.proxy().tlv(Tlv.CRC32C, new byte[3]).build()));
        assertEquals(ProxyFailure.LENGTHS_DO_NOT_ADD_UP, refuse(V2Bytes.proxy().tlv(Tlv.SSL, ssl(1, 0, new byte[] {0x21, 0})).build()));
    }

    @Test
    void aTlvMayNotOverrunItsEnclosure() {
        assertEquals(ProxyFailure.TLV_OVERRUN, refuse(V2Bytes.proxy().inet("10.1.2.3", 1, "10.1.2.4", 2).raw(new byte[] {1, 0, 5, 'h', '2'}).build()));
        assertEquals(ProxyFailure.TLV_OVERRUN, refuse(V2Bytes.proxy().raw(new byte[] {1, (byte) 0xFF, (byte) 0xFF}).build()));
        byte[] overrunsSsl = ssl(1, 0, new byte[] {0x21, 0, 9, 'T', 'L', 'S'});
        assertEquals(ProxyFailure.TLV_OVERRUN, refuse(V2Bytes.proxy().tlv(Tlv.SSL, overrunsSsl).build()));
    }

    @Test
    void aCrc32cMustMatchWhenPresent() {
        byte[] good = V2Bytes.proxy().inet("10.1.2.3", 1, "10.1.2.4", 2).tlv(Tlv.ALPN, "h2").crc().build();
        assertEquals(Optional.of("h2"), accept(good).alpn());
        assertEquals(ProxyFailure.BAD_CRC32C, refuse(with(good, 16, 11)), "an address changed");
        assertEquals(ProxyFailure.BAD_CRC32C, refuse(with(good, good.length - 1, good[good.length - 1] ^ 1)), "the sum changed");
        byte[] sumOnly = V2Bytes.proxy().crc().build();
        assertEquals(Optional.empty(), accept(sumOnly).source());
        assertEquals(ProxyFailure.BAD_CRC32C, refuse(with(sumOnly, 19, sumOnly[19] ^ 0x80)));
    }

    @Test
    void sslTlvsNestedDeeperThanTheBoundAreRefused() {
        byte[] three = tlvBytes(Tlv.SSL, ssl(1, 0, tlvBytes(Tlv.SSL, ssl(1, 0, tlvBytes(Tlv.SSL, ssl(1, 0))))));
        assertEquals(ProxyFailure.SSL_NESTED_TOO_DEEP, refuse(V2Bytes.proxy().raw(three).build()));
        assertEquals(ProxyFailure.SSL_NESTED_TOO_DEEP, refuse(nettyNestedSsl()), "Netty's 8100-deep SSL TLVs");
    }

    @Test
    void aUnixPathThatIsNotTextIsRefused() {
        byte[] path = V2Bytes.unixPath("/x");
        path[1] = (byte) 0xC3;
        path[2] = (byte) 0x28;
        assertEquals(ProxyFailure.BAD_UNIX_ADDRESS, refuse(V2Bytes.proxy().family(0x31).addresses(path, V2Bytes.unixPath("/y")).build()));
    }

    @Test
    void aHeaderCutShortIsTruncated() {
        byte[] good = V2Bytes.proxy().inet("10.1.2.3", 1, "10.1.2.4", 2).tlv(Tlv.ALPN, "h2").build();
        for (int cut : new int[] {1, 12, 15, 16, 20, good.length - 1}) {
            assertEquals(ProxyFailure.TRUNCATED, refuseAlone(java.util.Arrays.copyOf(good, cut), ProxyMode.V2), "cut at " + cut);
        }
    }

    @Test
    void theLongestHeaderIsRead() {
        byte[] big = new byte[65535 - 12 - 3];
        ProxyHeader header = accept(V2Bytes.proxy().inet("10.1.2.3", 1, "10.1.2.4", 2).tlv(0xEE, big).build());
        assertEquals(16 + 65535, header.length());
        assertEquals(big.length, header.tlv(0xEE).orElseThrow().length());
    }

    /** Netty's HAProxyMessageDecoderTest.testNestedTLV: 8100 SSL TLVs each inside the one before. */
    private static byte[] nettyNestedSsl() {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {'A', 'A', 'A', 'A', 'B', 'B', 'B', 'B', 'C', 'C', 'D', 'D'});
        int count = 8100;
        int length = count * 8;
        for (int i = 0; i < count; i++) {
            body.write(0x20);
            length -= 3;
            body.write((length >>> 8) & 0xFF);
            body.write(length & 0xFF);
            body.write(1);
            body.writeBytes(new byte[] {'V', 'V', 'V', 'V'});
            length -= 5;
        }
        return V2Bytes.proxy().family(0x11).addresses(body.toByteArray()).build();
    }

    private static byte[] with(byte[] bytes, int at, int value) {
        byte[] changed = bytes.clone();
        changed[at] = (byte) value;
        return changed;
    }
}
