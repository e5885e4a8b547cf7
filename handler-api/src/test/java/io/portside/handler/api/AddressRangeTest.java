package io.portside.handler.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AddressRangeTest {

    private static InetAddress ip(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal);
    }

    @Test
    void ipv4RangesMatchTheirAddressesOnly() throws Exception {
        AddressRange ten = AddressRange.parse("10.0.0.0/8");
        assertTrue(ten.contains(ip("10.0.0.0")));
        assertTrue(ten.contains(ip("10.255.255.255")));
        assertFalse(ten.contains(ip("11.0.0.0")));
        assertFalse(ten.contains(ip("9.255.255.255")));

        AddressRange odd = AddressRange.parse("192.168.4.0/22"); // 192.168.4.0 - 192.168.7.255
        assertTrue(odd.contains(ip("192.168.7.255")));
        assertFalse(odd.contains(ip("192.168.8.0")));
        assertFalse(odd.contains(ip("192.168.3.255")));
    }

    @Test
    void aSingleAddressIsASlash32OrSlash128() throws Exception {
        AddressRange host = AddressRange.parse("127.0.0.1");
        assertTrue(host.contains(ip("127.0.0.1")));
        assertFalse(host.contains(ip("127.0.0.2")));
        AddressRange v6host = AddressRange.parse("::1");
        assertTrue(v6host.contains(ip("::1")));
        assertFalse(v6host.contains(ip("::2")));
        assertEquals("127.0.0.1/32", host.toString());
    }

    @Test
    void zeroPrefixCoversItsWholeFamilyButNotTheOther() throws Exception {
        assertTrue(AddressRange.parse("0.0.0.0/0").contains(ip("203.0.113.9")));
        assertFalse(AddressRange.parse("0.0.0.0/0").contains(ip("2001:db8::1")));
        assertTrue(AddressRange.parse("::/0").contains(ip("2001:db8::1")));
        assertFalse(AddressRange.parse("::/0").contains(ip("203.0.113.9")), "IPv4 clients are matched by IPv4 rules only");
    }

    @Test
    void ipv6RangesIncludingNonByteAlignedPrefixes() throws Exception {
        AddressRange doc = AddressRange.parse("2001:db8::/32");
        assertTrue(doc.contains(ip("2001:db8:ffff::1")));
        assertFalse(doc.contains(ip("2001:db9::1")));
        AddressRange ula = AddressRange.parse("fc00::/7");
        assertTrue(ula.contains(ip("fd12:3456::1")));
        assertFalse(ula.contains(ip("fe80::1")));
        assertTrue(AddressRange.parse("[2001:db8::]/48").contains(ip("2001:db8:0:1::1")));
        assertFalse(AddressRange.parse("2001:db8::/48").contains(ip("2001:db8:1::1")));
    }

    @Test
    void ipv4MappedClientsAreJudgedAsIpv4() throws Exception {
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[12] = 10;
        mapped[15] = 7;
        // Build a genuine Inet6Address with mapped bytes, as a dual-stack socket could report it.
        InetAddress client = Inet6Address.getByAddress(null, mapped, -1);
        assertTrue(AddressRange.parse("10.0.0.0/8").contains(client));
        assertFalse(AddressRange.parse("11.0.0.0/8").contains(client));
        assertTrue(AddressRange.parse("10.0.0.0/8").contains(ip("::ffff:10.0.0.7")));
    }

    @Test
    void ipv4MappedRangesBecomeIpv4Ranges() throws Exception {
        AddressRange mapped = AddressRange.parse("::ffff:10.0.0.0/104");
        assertEquals(AddressRange.parse("10.0.0.0/8"), mapped);
        assertTrue(mapped.contains(ip("10.9.8.7")));
        assertTrue(AddressRange.parse("::ffff:192.0.2.1").contains(ip("192.0.2.1")));
        assertThrows(IllegalArgumentException.class, () -> AddressRange.parse("::ffff:10.0.0.0/64"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/", "10.0.0.0/8/8", "10.0.0.256/8", "10.0.0/8",
            "10.0.0.0.0", "010.0.0.0/8", "10.1.2.3/8", "example.com", "localhost", "10.0.0.0/08x", "2001:db8::/129",
            "2001:db8::1/32", "fe80::1%eth0", "2001:db8:::1", "1.2.3.4 5", "::g", "[10.0.0.1]x"})
    void invalidRangesAreRefusedWithoutLookingAnythingUp(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AddressRange.parse(text));
        assertFalse(e.getMessage().isBlank());
    }

    @Test
    void hostBitsSetSaysWhatWasProbablyMeant() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AddressRange.parse("10.1.2.3/8"));
        assertTrue(e.getMessage().contains("did you mean 10.0.0.0/8"), e.getMessage());
    }
}
