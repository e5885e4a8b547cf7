package io.portside.policy.clientcertificate;

import io.portside.policy.support.testing.TestRequest;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.portside.handler.api.PolicyDecision;

class ClientCertificatePolicyServiceTest {

    @Test
    void aBadConfigurationRejectsEverythingUntilFixed(@TempDir Path dir) throws Exception {
        X509Certificate alice = KeytoolCertificates.make(dir, "CN=alice", null);
        Map<String, Object> config = new HashMap<>(Map.of("service.pid", "io.portside.policy.clientcertificate~partners",
                "portside.policy", "partners", "allow.subject.alice", "CN=alice,,"));
        ClientCertificatePolicyService policy = new ClientCertificatePolicyService(config);
        PolicyDecision d = policy.verify(TestRequest.tlsClient(alice));
        assertFalse(d.accepted());
        assertTrue(d.reason().contains("bad configuration in io.portside.policy.clientcertificate~partners: 'allow.subject.alice'"), d.reason());

        config.put("allow.subject.alice", "CN=alice");
        policy.modified(config);
        assertTrue(policy.verify(TestRequest.tlsClient(alice)).accepted());
        assertFalse(policy.verify(TestRequest.tlsClient()).accepted());
    }
}
