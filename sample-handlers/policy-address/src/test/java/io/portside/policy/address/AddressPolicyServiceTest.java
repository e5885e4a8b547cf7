package io.portside.policy.address;

import io.portside.policy.support.testing.TestRequest;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.portside.handler.api.PolicyDecision;

class AddressPolicyServiceTest {

    @Test
    void aBadConfigurationRejectsEverythingUntilFixed() {
        Map<String, Object> config = new HashMap<>(Map.of("service.pid", "io.portside.policy.address~office",
                "portside.policy", "office", "allow", "127.0.0.0/33"));
        AddressPolicyService policy = new AddressPolicyService(config);
        PolicyDecision d = policy.verify(TestRequest.tcp("127.0.0.1"));
        assertFalse(d.accepted());
        assertTrue(d.reason().contains("bad configuration in io.portside.policy.address~office: 'allow'"), d.reason());

        config.put("allow", "127.0.0.0/8");
        policy.modified(config);
        assertTrue(policy.verify(TestRequest.tcp("127.0.0.1")).accepted());
        assertFalse(policy.verify(TestRequest.tcp("::1")).accepted());
    }
}
