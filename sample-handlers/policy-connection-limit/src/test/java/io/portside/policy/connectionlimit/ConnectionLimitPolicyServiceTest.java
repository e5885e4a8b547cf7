package io.portside.policy.connectionlimit;

import io.portside.policy.support.testing.TestRequest;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.portside.handler.api.PolicyDecision;

class ConnectionLimitPolicyServiceTest {

    @Test
    void aBadConfigurationRejectsEverythingUntilFixedAndCountsSurviveEdits() {
        Map<String, Object> config = new HashMap<>(Map.of("service.pid", "io.portside.policy.connectionlimit~web",
                "portside.policy", "web", "max.per.client", "-2"));
        ConnectionLimitPolicyService policy = new ConnectionLimitPolicyService(config);
        PolicyDecision d = policy.verify(TestRequest.tcp("127.0.0.1"));
        assertFalse(d.accepted());
        assertTrue(d.reason().contains("'max.per.client' must be at least 1: -2"), d.reason());

        config.put("max.per.client", "1");
        policy.modified(config);
        PolicyDecision first = policy.verify(TestRequest.tcp("127.0.0.1"));
        assertTrue(first.accepted());
        assertFalse(policy.verify(TestRequest.tcp("127.0.0.1")).accepted());

        config.put("max.per.client", "2");
        policy.modified(config);
        assertTrue(policy.verify(TestRequest.tcp("127.0.0.1")).accepted(), "the open connection is still counted: 2 of 2");
        assertFalse(policy.verify(TestRequest.tcp("127.0.0.1")).accepted());
        first.onRequestEnd().run();
        assertTrue(policy.verify(TestRequest.tcp("127.0.0.1")).accepted());
    }
}
