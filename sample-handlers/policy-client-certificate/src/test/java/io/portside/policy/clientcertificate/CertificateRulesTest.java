package io.portside.policy.clientcertificate;

import io.portside.policy.support.testing.TestRequest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.portside.handler.api.PolicyDecision;

class CertificateRulesTest {

    @TempDir
    static Path dir;
    static X509Certificate billing;
    static X509Certificate alice;
    static X509Certificate bare;

    @BeforeAll
    static void certificates() throws Exception {
        billing = KeytoolCertificates.make(dir, "CN=billing, O=Acme, C=GB",
                "dns:billing.acme.test,uri:spiffe://acme/ns/prod/sa/billing,email:ops@acme.test");
        alice = KeytoolCertificates.make(dir, "CN=alice, OU=People, O=Acme", null);
        bare = KeytoolCertificates.make(dir, "O=Nobody", null);
    }

    private static PolicyDecision decide(Map<String, String> config, X509Certificate... chain) {
        return CertificateRules.from(config).decide(TestRequest.tlsClient(chain));
    }

    @Test
    void certificateNamesAreItsDnsEmailAndUriAlternativesAndItsCommonName() {
        assertEquals(Set.of("billing.acme.test", "spiffe://acme/ns/prod/sa/billing", "ops@acme.test", "billing"),
                Set.copyOf(CertificateNames.of(billing)));
        assertEquals(List.of(), CertificateNames.of(bare));
    }

    @Test
    void aSubjectIsComparedAsAnX500NameNotAsText() {
        assertTrue(decide(Map.of("allow.subject.alice", "cn=Alice,ou=people,o=ACME"), alice).accepted(), "case and spacing do not matter");
        assertFalse(decide(Map.of("allow.subject.alice", "O=Acme,OU=People,CN=alice"), alice).accepted(), "order does");
        assertFalse(decide(Map.of("allow.subject.alice", "CN=alice,OU=People,O=Acme"), billing).accepted());
    }

    @Test
    void namesMatchAlternativesCommonNamesAndOneLabelWildcards() {
        assertTrue(decide(Map.of("allow.names", "billing.acme.test"), billing).accepted());
        assertTrue(decide(Map.of("allow.names", "BILLING.acme.test"), billing).accepted(), "DNS names ignore case");
        assertTrue(decide(Map.of("allow.names", "*.acme.test"), billing).accepted());
        assertFalse(decide(Map.of("allow.names", "*.test"), billing).accepted(), "a wildcard covers one label only");
        assertTrue(decide(Map.of("allow.names", "spiffe://acme/ns/prod/sa/billing"), billing).accepted());
        assertFalse(decide(Map.of("allow.names", "spiffe://acme/ns/prod/sa/BILLING"), billing).accepted(), "URIs are exact");
        assertTrue(decide(Map.of("allow.names", "ops@acme.test"), billing).accepted());
        assertTrue(decide(Map.of("allow.names", "alice"), alice).accepted(), "the common name counts");
        assertFalse(decide(Map.of("allow.names", "*.acme.test, alice"), bare).accepted());
    }

    @Test
    void denyWinsOverAllow() {
        PolicyDecision d = decide(Map.of("allow.names", "*.acme.test", "deny.names", "billing"), billing);
        assertFalse(d.accepted());
        assertEquals("client certificate CN=billing,O=Acme,C=GB is denied", d.reason());
        assertFalse(decide(Map.of("allow.names", "alice", "deny.subject.a", "CN=alice,OU=People,O=Acme"), alice).accepted());
    }

    @Test
    void noCertificateOrNoTlsIsRejected() {
        assertEquals("the client sent no certificate", decide(Map.of("allow.names", "alice")).reason());
        PolicyDecision plain = CertificateRules.from(Map.of("allow.names", "alice")).decide(TestRequest.tcp("127.0.0.1"));
        assertFalse(plain.accepted());
        assertTrue(plain.reason().contains("does not serve TLS"), plain.reason());
    }

    @Test
    void whatIsNotAllowedIsRejectedWithItsNames() {
        PolicyDecision d = decide(Map.of("allow.names", "alice"), billing);
        assertFalse(d.accepted());
        assertTrue(d.reason().startsWith("client certificate CN=billing,O=Acme,C=GB [") && d.reason().endsWith("] is not allowed")
                && d.reason().contains("spiffe://acme/ns/prod/sa/billing"), d.reason());
        assertTrue(CertificateRules.from(Map.of()).allowsNobody());
    }

    @Test
    void badValuesNameTheirKey() {
        assertEquals("'allow.subject.x': 'not a dn' is not a distinguished name",
                assertThrows(IllegalArgumentException.class, () -> CertificateRules.from(Map.of("allow.subject.x", "not a dn"))).getMessage());
        assertEquals("'allow.names': 'a.*.b' is not a name or *.domain",
                assertThrows(IllegalArgumentException.class, () -> CertificateRules.from(Map.of("allow.names", "a.*.b"))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> CertificateRules.from(Map.of("deny.names", "*")));
    }
}
