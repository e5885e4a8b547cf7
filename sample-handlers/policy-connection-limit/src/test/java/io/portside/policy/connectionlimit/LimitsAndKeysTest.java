package io.portside.policy.connectionlimit;

import io.portside.policy.support.ClientKey;
import io.portside.policy.support.testing.TestRequest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;

import org.junit.jupiter.api.Test;

class LimitsAndKeysTest {

    @Test
    void limitsParseFromCfgStringsAndTypedNumbers() {
        assertEquals(new Limits(100, 4), Limits.from(Map.of("max.connections", "100", "max.per.client", " 4 ")));
        assertEquals(new Limits(0, 4), Limits.from(Map.of("max.per.client", 4L)));
        assertEquals(new Limits(7, 0), Limits.from(Map.of("max.connections", 7)));
    }

    @Test
    void badLimitsSayWhatIsWrong() {
        assertEquals("'max.per.client' must be at least 1: -1",
                assertThrows(IllegalArgumentException.class, () -> Limits.from(Map.of("max.per.client", "-1"))).getMessage());
        assertEquals("'max.connections' must be at least 1: 0",
                assertThrows(IllegalArgumentException.class, () -> Limits.from(Map.of("max.connections", "0"))).getMessage());
        assertEquals("'max.connections' is not a whole number: 'ten'",
                assertThrows(IllegalArgumentException.class, () -> Limits.from(Map.of("max.connections", "ten"))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Limits.from(Map.of("max.connections", "99999999999")));
        assertThrows(IllegalArgumentException.class, () -> Limits.from(Map.of()));
    }

    @Test
    void clientKeysIgnoreThePortAndUnmapIpv4() {
        assertEquals("10.0.0.7", ClientKey.of(TestRequest.tcp("10.0.0.7")));
        assertEquals("10.0.0.7", ClientKey.of(TestRequest.tcp(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 10, 0, 0, 7})));
        assertEquals("0:0:0:0:0:0:0:1", ClientKey.of(TestRequest.tcp("::1")));
        assertEquals("unix-user:alice", ClientKey.of(TestRequest.unix("alice", "staff")));
        assertEquals("unixgram:anonymous", ClientKey.of(TestRequest.unixDatagram()));
    }
}
