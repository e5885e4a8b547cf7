package io.portside.policy.ratelimit;

import io.portside.policy.support.testing.TestRequest;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.portside.handler.api.PolicyDecision;

class RateLimitPolicyServiceTest {

    @Test
    void aBadConfigurationRejectsEverythingUntilFixed() {
        Map<String, Object> config = new HashMap<>(Map.of("service.pid", "io.portside.policy.ratelimit~api", "rate", "-1"));
        RateLimitPolicyService policy = new RateLimitPolicyService(config);
        PolicyDecision d = policy.verify(TestRequest.tcp("127.0.0.1"));
        assertFalse(d.accepted());
        assertTrue(d.reason().contains("'rate' must be above 0"), d.reason());

        config.put("rate", "1");
        config.put("burst", "2");
        policy.modified(config);
        assertTrue(policy.verify(TestRequest.tcp("127.0.0.1")).accepted());
        assertTrue(policy.verify(TestRequest.tcp("127.0.0.1")).accepted());
        assertFalse(policy.verify(TestRequest.tcp("127.0.0.1")).accepted());
        assertTrue(policy.verify(TestRequest.tcp("::1")).accepted());
    }
}
