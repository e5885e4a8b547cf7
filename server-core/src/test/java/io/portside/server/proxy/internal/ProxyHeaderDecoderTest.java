package io.portside.server.proxy.internal;

import static io.portside.server.proxy.internal.Wire.ascii;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.portside.handler.api.ProxyInfo.Tlv;
import io.portside.server.proxy.internal.ProxyHeaderDecoder.Done;
import io.portside.server.proxy.internal.ProxyHeaderDecoder.Failed;
import io.portside.server.proxy.internal.ProxyHeaderDecoder.Need;
import io.portside.server.proxy.internal.ProxyHeaderDecoder.Step;

class ProxyHeaderDecoderTest {

    @Test
    void version2IsReadAsItsFixedPartThenItsLength() {
        byte[] header = V2Bytes.proxy().inet("10.1.2.3", 1, "10.1.2.4", 2).tlv(Tlv.ALPN, "h2").build();
        assertEquals(List.of(16, 17), needsWhenEveryReadIsFull(header, ProxyMode.V2));
        assertEquals(List.of(15, 1, 17), needsWhenEveryReadIsFull(header, ProxyMode.ANY));
    }

    @Test
    void version1IsReadAsItsMinimumThenByteByByte() {
        byte[] line = ascii("PROXY TCP4 1.2.3.4 5.6.7.8 9 10\r\n");
        List<Integer> needs = needsWhenEveryReadIsFull(line, ProxyMode.V1);
        assertEquals(15, needs.get(0));
        assertEquals(line.length - 15, needs.size() - 1);
        assertTrue(needs.subList(1, needs.size()).stream().allMatch(n -> n == 1));
        assertEquals(List.of(15), needsWhenEveryReadIsFull(ascii("PROXY UNKNOWN\r\n"), ProxyMode.ANY));
    }

    @Test
    void aShortReadAsksForTheRest() {
        ProxyHeaderDecoder decoder = new ProxyHeaderDecoder(ProxyMode.V2);
        byte[] header = V2Bytes.proxy().inet("10.1.2.3", 1, "10.1.2.4", 2).build();
        assertEquals(new Need(11), decoder.decode(header, 5));
        assertEquals(new Need(3), decoder.decode(header, 25));
    }

    @Test
    void garbageFailsOnItsFirstBytes() {
        ProxyHeaderDecoder decoder = new ProxyHeaderDecoder(ProxyMode.ANY);
        assertEquals(new Failed(ProxyFailure.WRONG_SIGNATURE), decoder.decode(ascii("G"), 1));
        assertEquals(new Failed(ProxyFailure.WRONG_SIGNATURE), decoder.decode(ascii("PRO\r"), 4));
        assertEquals(new Failed(ProxyFailure.WRONG_SIGNATURE), decoder.decode(new byte[] {0x0D, 0x0A, 0x0D, 0x0B}, 4));
        assertEquals(new Failed(ProxyFailure.V1_BAD_CHARACTER), decoder.decode(ascii("PROXY \n"), 7));
    }

    @Test
    void aVersionTheListenerDoesNotTakeFailsOnceItsSignatureIsIn() {
        byte[] v2 = V2Bytes.proxy().inet("10.1.2.3", 1, "10.1.2.4", 2).build();
        assertEquals(new Need(5), new ProxyHeaderDecoder(ProxyMode.V1).decode(v2, 11));
        assertEquals(new Failed(ProxyFailure.VERSION_NOT_ALLOWED), new ProxyHeaderDecoder(ProxyMode.V1).decode(v2, 12));
        assertEquals(ProxyFailure.VERSION_NOT_ALLOWED, Wire.refuse(v2, ProxyMode.V1));
        byte[] v1 = ascii("PROXY TCP4 1.2.3.4 5.6.7.8 9 10\r\n");
        assertEquals(new Failed(ProxyFailure.VERSION_NOT_ALLOWED), new ProxyHeaderDecoder(ProxyMode.V2).decode(v1, 6));
        assertEquals(ProxyFailure.VERSION_NOT_ALLOWED, Wire.refuse(v1, ProxyMode.V2));
        assertEquals(1, Wire.accept(v1, ProxyMode.V1).version());
        assertEquals(2, Wire.accept(v2, ProxyMode.V2).version());
    }

    @Test
    void noneExpectsNoHeader() {
        assertThrows(IllegalArgumentException.class, () -> new ProxyHeaderDecoder(ProxyMode.NONE));
    }

    @Test
    void theModeKey() {
        assertEquals(ProxyMode.NONE, ProxyMode.parse(null));
        assertEquals(ProxyMode.NONE, ProxyMode.parse(" "));
        assertEquals(ProxyMode.V1, ProxyMode.parse("v1"));
        assertEquals(ProxyMode.V2, ProxyMode.parse(" V2 "));
        assertEquals(ProxyMode.ANY, ProxyMode.parse("any"));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> ProxyMode.parse("v3"));
        assertEquals("proxy.protocol must be one of none, v1, v2, any, not v3", bad.getMessage());
        assertTrue(ProxyMode.ANY.accepts(1) && ProxyMode.ANY.accepts(2));
        assertTrue(!ProxyMode.NONE.enabled() && ProxyMode.V1.enabled());
    }

    /** The sizes the decoder asks for when every read fills what it asked; each must stay inside the header. */
    private static List<Integer> needsWhenEveryReadIsFull(byte[] header, ProxyMode mode) {
        ProxyHeaderDecoder decoder = new ProxyHeaderDecoder(mode);
        List<Integer> needs = new ArrayList<>();
        int length = 0;
        while (true) {
            Step step = decoder.decode(header, length);
            if (step instanceof Done done) {
                assertEquals(header.length, done.header().length());
                return needs;
            }
            int need = ((Need) step).bytes();
            needs.add(need);
            length += need;
            assertTrue(length <= header.length, "asked past the header: " + needs);
        }
    }
}
