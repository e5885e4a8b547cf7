package io.portside.server.tls.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class HostNamesTest {

    @Test
    void aWildcardStandsForOneLeftmostLabel() {
        List<String> names = List.of("*.example.com", "exact.test");
        assertTrue(HostNames.matches(names, "a.example.com"));
        assertTrue(HostNames.matches(names, "A.Example.COM."), "case and a trailing dot do not matter");
        assertFalse(HostNames.matches(names, "example.com"));
        assertFalse(HostNames.matches(names, "a.b.example.com"));
        assertTrue(HostNames.matches(names, "exact.test"));
        assertFalse(HostNames.matches(names, "other.test"));
    }

    @Test
    void namesAreTheDnsAlternativesElseTheCommonName() {
        TestPki pki = new TestPki();
        assertEquals(List.of("a.test", "*.b.test"), HostNames.of(pki.issue("CN=ignored.test", TestPki.ec(), 30, "A.test", "*.b.test").certificate()));
        assertEquals(List.of("cn-only.test"), HostNames.of(pki.issue("CN=cn-only.test,O=Portside", TestPki.ec(), 30).certificate()));
    }
}
