package io.portside.policy.address;

import io.portside.policy.support.PolicyIdentity;
import io.portside.policy.support.testing.TestRequest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.portside.handler.api.PolicyDecision;

class AddressRulesTest {

    private static boolean allows(AddressRules rules, TestRequest request) {
        PolicyDecision d = rules.decide(request);
        return d.accepted();
    }

    @Test
    void denyWinsOverAllowAndEverythingElseIsRejected() {
        AddressRules rules = AddressRules.from(Map.of("allow", "10.0.0.0/8, 2001:db8::/32", "deny", "10.66.0.0/16"));
        assertTrue(allows(rules, TestRequest.tcp("10.1.2.3")));
        assertFalse(allows(rules, TestRequest.tcp("10.66.1.1")));
        assertTrue(allows(rules, TestRequest.tcp("2001:db8::5")));
        assertFalse(allows(rules, TestRequest.tcp("192.0.2.1")));
        assertFalse(allows(rules, TestRequest.tcp("::1")));
        assertTrue(rules.decide(TestRequest.tcp("10.66.1.1")).reason().contains("10.66.0.0/16"));
    }

    @Test
    void anEmptyAllowListAllowsNoIpClient() {
        AddressRules rules = AddressRules.from(Map.of("deny", "192.0.2.0/24"));
        assertFalse(allows(rules, TestRequest.tcp("10.0.0.1")));
        assertTrue(rules.allowsNobody());
    }

    @Test
    void listsMayBeArraysOrSpaceSeparated() {
        AddressRules rules = AddressRules.from(Map.of("allow", new String[] {"127.0.0.1", "::1 192.0.2.0/24"}));
        assertTrue(allows(rules, TestRequest.tcp("::1")));
        assertTrue(allows(rules, TestRequest.tcp("192.0.2.200")));
        assertFalse(allows(rules, TestRequest.tcp("127.0.0.2")));
    }

    @Test
    void unixPeersAreJudgedByUserAndGroup() {
        AddressRules rules = AddressRules.from(Map.of("allow.users", "alice", "allow.groups", "ops", "deny.users", "mallory"));
        assertTrue(allows(rules, TestRequest.unix("alice", "staff")));
        assertTrue(allows(rules, TestRequest.unix("bob", "ops")));
        assertFalse(allows(rules, TestRequest.unix("bob", "staff")));
        assertFalse(allows(rules, TestRequest.unix("mallory", "ops")), "deny wins");
        assertFalse(allows(rules, TestRequest.unixDatagram()), "no credentials: rejected");
    }

    @Test
    void ipRulesDoNotOpenUnixSockets() {
        AddressRules rules = AddressRules.from(Map.of("allow", "0.0.0.0/0, ::/0"));
        assertFalse(allows(rules, TestRequest.unix("root", "root")));
    }

    @Test
    void aBadRangeNamesTheKeyAndTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AddressRules.from(Map.of("allow", "10.0.0.0/8, 10.0.0.300/8")));
        assertEquals("'allow': '10.0.0.300' has an octet above 255", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AddressRules.from(Map.of("deny", "intranet.example")));
    }

    @Test
    void namingFollowsTheConfiguration() {
        assertEquals("office", PolicyIdentity.of("address", Map.of("portside.policy", "office",
                "service.pid", "io.portside.policy.address~office")).name());
        PolicyIdentity unnamed = PolicyIdentity.of("address", Map.of("portside.policy", "address",
                "service.pid", "io.portside.policy.address~office", "felix.fileinstall.filename", "file:/x/deploy/io.portside.policy.address-office.cfg"));
        assertEquals("address", unnamed.name());
        assertTrue(unnamed.namingHint().contains("add portside.policy=office to io.portside.policy.address-office.cfg"), unnamed.namingHint());
    }
}
