package io.portside.server.proxy.internal;

import static io.portside.server.proxy.internal.Wire.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.portside.handler.api.ProxyInfo;
import io.portside.handler.api.ProxyInfo.Tlv;

/**
 * Headers as real senders wrote them, with what each client sent after the header. The HAProxy ones were captured from
 * HAProxy 2.6.12 (Debian 12) in front of a socket that recorded its first bytes: {@code send-proxy},
 * {@code send-proxy-v2 proxy-v2-options crc32c,unique-id}, a TLS frontend with
 * {@code proxy-v2-options ssl,cert-cn,ssl-cipher,cert-sig,cert-key,authority,crc32c}, and a {@code check} (LOCAL).
 */
class HaproxyGoldenTest {

    @Test
    void theSpecsExampleLine() {
        ProxyHeader header = readWithPayload("50524f58592054435034203139322e3136382e302e31203139322e3136382e302e3131203536333234203434330d0a",
                "GET / HTTP/1.1\r\nHost: 192.168.0.11\r\n\r\n");
        assertEquals(Optional.of(new InetSocketAddress("192.168.0.1", 56324)), header.source());
    }

    @Test
    void haproxySendProxyOverIpv4AndIpv6() {
        ProxyHeader v4 = read("50524f58592054435034203132372e302e302e32203132372e302e302e312036303438312034373030310d0a"
                + "68656c6c6f207631206f76657220340a", "hello v1 over 4\n");
        assertEquals(Optional.of(new InetSocketAddress("127.0.0.2", 60481)), v4.source());
        assertEquals(Optional.of(new InetSocketAddress("127.0.0.1", 47001)), v4.destination());
        ProxyHeader v6 = read("50524f58592054435036203a3a31203a3a312034303837342034373030310d0a68656c6c6f207631206f76657220360a",
                "hello v1 over 6\n");
        assertEquals(Optional.of(new InetSocketAddress("::1", 40874)), v6.source());
    }

    @Test
    void haproxySendProxyV2WithCrcAndUniqueId() {
        ProxyHeader v4 = read("0d0a0d0a000d0a515549540a2111003f7f0000037f000001cdd1b79a030004c4cc300c05002937463030303030333a43"
                + "4444315f37463030303030313a423739415f36423044434242435f3030303268656c6c6f207632206f76657220340a", "hello v2 over 4\n");
        assertEquals(Optional.of(new InetSocketAddress("127.0.0.3", 52689)), v4.source());
        assertEquals(Optional.of(new InetSocketAddress("127.0.0.1", 47002)), v4.destination());
        assertEquals("7F000003:CDD1_7F000001:B79A_6B0DCBBC_0002", new String(v4.uniqueId().orElseThrow(), StandardCharsets.US_ASCII));
        assertTrue(v4.tlv(Tlv.CRC32C).isPresent());

        ProxyHeader v6 = read("0d0a0d0a000d0a515549540a212100870000000000000000000000000000000100000000000000000000000000000001"
                + "deecb79a030004eb5daa0105005930303030303030303030303030303030303030303030303030303030303030313a44"
                + "4545435f30303030303030303030303030303030303030303030303030303030303030313a423739415f364230444342"
                + "42435f3030303368656c6c6f207632206f76657220360a", "hello v2 over 6\n");
        assertEquals(Optional.of(new InetSocketAddress("::1", 57068)), v6.source());
    }

    @Test
    void haproxySslTlvsFromATlsFrontend() {
        ProxyHeader header = read("0d0a0d0a000d0a515549540a2111007e7f0000017f00000194e8b79b0300049cdd6153010002683202000b6170702e65"
                + "78616d706c652000550700000000210007544c5376312e3322000e636c69656e742e6578616d706c65250005454332353624"
                + "001165636473612d776974682d534841323536230016544c535f4145535f3235365f47434d5f53484133383468656c6c6f20"
                + "6f76657220746c730a", "hello over tls\n");
        assertEquals(Optional.of("h2"), header.alpn());
        assertEquals(Optional.of("app.example"), header.authority());
        ProxyInfo.Ssl ssl = header.ssl().orElseThrow();
        assertEquals(0x07, ssl.clientFlags());
        assertTrue(ssl.verified());
        assertEquals(Optional.of("TLSv1.3"), ssl.version());
        assertEquals(Optional.of("client.example"), ssl.commonName());
        assertEquals(Optional.of("TLS_AES_256_GCM_SHA384"), ssl.cipher());
        assertEquals(Optional.of("ecdsa-with-SHA256"), ssl.signatureAlgorithm());
        assertEquals(Optional.of("EC256"), ssl.keyAlgorithm());
    }

    @Test
    void haproxyHealthCheckIsLocal() {
        ProxyHeader check = read("0d0a0d0a000d0a515549540a20000000", "");
        assertTrue(check.local());
        assertEquals(Optional.empty(), check.source());
    }

    @Test
    void nettysSslTlvExample() {
        ProxyHeader header = read("0d0a0d0a000d0a515549540a211100237f0000017f000001c9a60759200014050000000021000554"
                + "4c5376312200044c454146", "");
        ProxyInfo.Ssl ssl = header.ssl().orElseThrow();
        assertEquals(0x05, ssl.clientFlags());
        assertEquals(Optional.of("TLSv1"), ssl.version());
        assertEquals(Optional.of("LEAF"), ssl.commonName());
        assertEquals(Optional.of(new InetSocketAddress("127.0.0.1", 51622)), header.source());
    }

    private static ProxyHeader readWithPayload(String headerHex, String payload) {
        return read(headerHex + java.util.HexFormat.of().formatHex(payload.getBytes(StandardCharsets.US_ASCII)), payload);
    }

    /** Reads a recorded connection start; what is left must be exactly what the client sent after the header. */
    private static ProxyHeader read(String wireHex, String payload) {
        ByteArrayInputStream in = new ByteArrayInputStream(hex(wireHex));
        ProxyHeader header = Wire.read(in, ProxyMode.ANY);
        assertArrayEquals(payload.getBytes(StandardCharsets.US_ASCII), in.readAllBytes());
        return header;
    }
}
