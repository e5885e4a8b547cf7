package io.portside.server.proxy.internal;

import static io.portside.server.proxy.internal.Wire.accept;
import static io.portside.server.proxy.internal.Wire.ascii;
import static io.portside.server.proxy.internal.Wire.refuse;
import static io.portside.server.proxy.internal.Wire.refuseAlone;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class V1LineTest {

    @Test
    void tcp4NamesBothEndpoints() {
        ProxyHeader header = accept(ascii("PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\n"));
        assertEquals(1, header.version());
        assertFalse(header.local());
        assertEquals(Optional.of(new InetSocketAddress("192.168.0.1", 56324)), header.source());
        assertEquals(Optional.of(new InetSocketAddress("192.168.0.11", 443)), header.destination());
        assertEquals(new InetSocketAddress("192.168.0.1", 56324), header.clientAddress(new InetSocketAddress("10.0.0.1", 1)));
        assertTrue(header.hasAddresses());
        assertEquals(List.of(), header.tlvs());
        assertEquals(Optional.empty(), header.ssl());
    }

    @Test
    void theLongestTcp4LineAndPortZero() {
        ProxyHeader header = accept(ascii("PROXY TCP4 255.255.255.255 0.0.0.0 65535 0\r\n"));
        assertEquals(Optional.of(new InetSocketAddress("255.255.255.255", 65535)), header.source());
        assertEquals(Optional.of(new InetSocketAddress("0.0.0.0", 0)), header.destination());
    }

    @Test
    void tcp6InItsForms() {
        ProxyHeader full = accept(ascii("PROXY TCP6 2001:0db8:0000:0000:0000:0000:0000:0001 ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff 65535 65535\r\n"));
        assertEquals(Optional.of(new InetSocketAddress("2001:db8::1", 65535)), full.source());
        ProxyHeader compressed = accept(ascii("PROXY TCP6 ::1 FE80::A:b 1 2\r\n"));
        assertEquals(Optional.of(new InetSocketAddress("::1", 1)), compressed.source());
        assertEquals(Optional.of(new InetSocketAddress("fe80::a:b", 2)), compressed.destination());
        ProxyHeader ends = accept(ascii("PROXY TCP6 :: 1:: 3 4\r\n"));
        assertEquals(Optional.of(new InetSocketAddress("::", 3)), ends.source());
        assertEquals(Optional.of(new InetSocketAddress("1::", 4)), ends.destination());
    }

    @Test
    void anIpv4MappedTcp6AddressIsTheIpv4Client() {
        // HAProxy writes a mixed pair so (inet_ntop): the policies must see 127.0.0.2, not an IPv6 address.
        ProxyHeader header = accept(ascii("PROXY TCP6 ::ffff:127.0.0.2 ::1 40000 8080\r\n"));
        InetSocketAddress source = (InetSocketAddress) header.source().orElseThrow();
        assertTrue(source.getAddress() instanceof Inet4Address);
        assertEquals("127.0.0.2", source.getAddress().getHostAddress());
    }

    @Test
    void unknownKeepsTheConnectionsOwnEndpointsAndIgnoresTheRest() {
        ProxyHeader brief = accept(ascii("PROXY UNKNOWN\r\n"));
        assertEquals(Optional.empty(), brief.source());
        assertEquals(Optional.empty(), brief.destination());
        assertFalse(brief.hasAddresses());
        InetSocketAddress peer = new InetSocketAddress("127.0.0.1", 5000);
        InetSocketAddress local = new InetSocketAddress("127.0.0.1", 80);
        assertEquals(peer, brief.clientAddress(peer));
        assertEquals(local, brief.serverAddress(local));
        String worst = "PROXY UNKNOWN ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff 65535 65535\r\n";
        assertEquals(107, worst.length());
        assertEquals(107, accept(ascii(worst)).length());
        assertEquals(Optional.empty(), accept(ascii("PROXY UNKNOWN whatever 01 x\r\n")).source());
    }

    @Test
    void aLineWithoutCrlfInItsFirst107BytesIsTooLong() {
        String line = "PROXY UNKNOWN " + "f".repeat(92) + "\r\n";
        assertEquals(108, line.length());
        assertEquals(ProxyFailure.V1_LINE_TOO_LONG, refuse(ascii(line)));
        assertEquals(ProxyFailure.V1_LINE_TOO_LONG, refuse(ascii("PROXY TCP4 192.168.0.1 192.168.0.11 56324 " + "0".repeat(70) + "443\r\n")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "PROXY TCP4 192.168.0.1 192.168.0.11 056324 443|V1_LEADING_ZERO",
        "PROXY TCP4 192.168.0.1 192.168.0.11 56324 0443|V1_LEADING_ZERO",
        "PROXY TCP4 192.168.00.1 192.168.0.11 56324 443|V1_LEADING_ZERO",
        "PROXY TCP4 192.168.0.1 010.168.0.11 56324 443|V1_LEADING_ZERO",
        "PROXY TCP4 192.168.0.1 192.168.0.11 80000 443|V1_PORT_OUT_OF_RANGE",
        "PROXY TCP4 192.168.0.1 192.168.0.11 65536 443|V1_PORT_OUT_OF_RANGE",
        "PROXY TCP4 192.168.0.1 192.168.0.11 -1 443|V1_PORT_OUT_OF_RANGE",
        "PROXY TCP4 192.168.0.1 192.168.0.11 +1 443|V1_PORT_OUT_OF_RANGE",
        "PROXY TCP4 192.168.0.1 192.168.0.11 0x50 443|V1_PORT_OUT_OF_RANGE",
        "PROXY TCP4 299.168.0.1 192.168.0.11 56324 443|V1_BAD_ADDRESS",
        "PROXY TCP4 192.168.0 192.168.0.11 56324 443|V1_BAD_ADDRESS",
        "PROXY TCP4 192.168.0.1.5 192.168.0.11 56324 443|V1_BAD_ADDRESS",
        "PROXY TCP4 localhost 192.168.0.11 56324 443|V1_BAD_ADDRESS",
        "PROXY TCP6 r001:0db8:85a3:0000:0000:8a2e:0370:7334 1050:0:0:0:5:600:300c:326b 56324 443|V1_BAD_ADDRESS",
        "PROXY TCP6 1::2::3 ::1 1 2|V1_BAD_ADDRESS",
        "PROXY TCP6 1:2:3:4:5:6:7:8:9 ::1 1 2|V1_BAD_ADDRESS",
        "PROXY TCP6 1:2:3:4:5:6:7 ::1 1 2|V1_BAD_ADDRESS",
        "PROXY TCP6 12345::1 ::1 1 2|V1_BAD_ADDRESS",
        "PROXY TCP6 :1:2:3:4:5:6:7 ::1 1 2|V1_BAD_ADDRESS",
        "PROXY TCP6 ::1% ::1 1 2|V1_BAD_ADDRESS",
        "PROXY TCP6 ::1%eth0 ::1 1 2|V1_BAD_ADDRESS",
        "PROXY TCP6 [::1] ::1 1 2|V1_BAD_ADDRESS",
        "PROXY TCP6 localhost ::1 1 2|V1_BAD_ADDRESS",
        "PROXY TCP4 ::1 192.168.0.11 56324 443|V1_WRONG_FAMILY",
        "PROXY TCP6 ::1 192.168.0.11 56324 443|V1_WRONG_FAMILY",
        "PROXY UDP4 192.168.0.1 192.168.0.11 56324 443|V1_UNKNOWN_PROTOCOL",
        "PROXY TCP7 192.168.0.1 192.168.0.11 56324 443|V1_UNKNOWN_PROTOCOL",
        "PROXY tcp4 192.168.0.1 192.168.0.11 56324 443|V1_UNKNOWN_PROTOCOL",
        "PROXY  TCP4 192.168.0.1 192.168.0.11 56324 443|V1_UNKNOWN_PROTOCOL",
        "PROXY TCP4 192.168.0.1 192.168.0.11 56324|V1_BAD_FIELDS",
        "PROXY TCP4 192.168.0.1 192.168.0.11 56324 443 123|V1_BAD_FIELDS",
        "PROXY TCP4 192.168.0.1  192.168.0.11 56324 443|V1_BAD_FIELDS",
        "'PROXY TCP4 192.168.0.1 192.168.0.11 56324 443 '|V1_BAD_FIELDS",
        "PROXY TCP4|V1_BAD_FIELDS",
    })
    void badFieldsAreRefused(String line, ProxyFailure failure) {
        assertEquals(failure, refuse(ascii(line + "\r\n")));
    }

    @Test
    void onlyCrlfEndsALine() {
        assertEquals(ProxyFailure.V1_BAD_CHARACTER, refuse(ascii("PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\nGET / HTTP/1.1\r\n")));
        assertEquals(ProxyFailure.V1_BAD_CHARACTER, refuse(ascii("PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\rX\r\n")));
        assertEquals(ProxyFailure.V1_BAD_CHARACTER, refuse(ascii("PROXY TCP4 192.168.0.1\t192.168.0.11 56324 443\r\n")));
        assertEquals(ProxyFailure.V1_BAD_CHARACTER, refuse("PROXY UNKNOWN \u00e9\r\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertEquals(ProxyFailure.V1_BAD_CHARACTER, refuse(ascii("PROXY UNKNOWN\0\r\n")));
    }

    @Test
    void aLineCutShortIsTruncated() {
        assertEquals(ProxyFailure.TRUNCATED, refuseAlone(ascii("PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r"), ProxyMode.V1));
        assertEquals(ProxyFailure.TRUNCATED, refuseAlone(ascii("PROXY"), ProxyMode.V1));
        assertEquals(ProxyFailure.TRUNCATED, refuseAlone(new byte[0], ProxyMode.ANY));
    }

    @Test
    void somethingElseThanAHeaderIsTheWrongSignature() {
        assertEquals(ProxyFailure.WRONG_SIGNATURE, refuse(ascii("GET / HTTP/1.1\r\n")));
        assertEquals(ProxyFailure.WRONG_SIGNATURE, refuse(ascii("PROXYTCP4 1.2.3.4 1.2.3.4 1 2\r\n")));
        assertEquals(ProxyFailure.WRONG_SIGNATURE, refuse(ascii("proxy TCP4 1.2.3.4 1.2.3.4 1 2\r\n")));
        assertEquals(ProxyFailure.WRONG_SIGNATURE, refuse(new byte[] {0x16, 0x03, 0x01, 0x00, 0x10}));
    }

    @Test
    void aShortLineIsRefusedWithoutReadingPastIt() {
        // "PROXY X\r\n" is shorter than any valid line; it must be refused, never taken as a header.
        assertEquals(ProxyFailure.V1_BAD_FIELDS, refuse(ascii("PROXY X\r\n")));
    }
}
