package ${package};

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.portside.handler.api.PeerCredentials;
import io.portside.handler.api.PolicyRequest;
import io.portside.handler.api.Transport;

/** The policy without OSGi: constructed with a configuration's properties, as Declarative Services does. */
class AllowListPolicyTest {

    /** A TCP connection from {@code ip}, as the host describes it to a policy. */
    private static PolicyRequest tcpFrom(String ip) {
        return new PolicyRequest() {
            @Override
            public SocketAddress clientAddress() {
                return new InetSocketAddress(ip, 40000);
            }

            @Override
            public Transport transport() {
                return Transport.TCP;
            }

            @Override
            public String listener() {
                return "test";
            }

            @Override
            public Optional<PeerCredentials> peerCredentials() {
                return Optional.empty();
            }
        };
    }

    @Test
    void admitsOnlyAllowedRangesAndFollowsEdits() {
        Map<String, Object> config = new HashMap<>(Map.of("portside.policy", "local", "allow", "127.0.0.0/8"));
        AllowListPolicy policy = new AllowListPolicy(config);
        assertTrue(policy.verify(tcpFrom("127.0.0.1")).accepted());
        assertFalse(policy.verify(tcpFrom("192.0.2.7")).accepted());

        config.put("allow", "192.0.2.0/24");
        policy.modified(config);
        assertTrue(policy.verify(tcpFrom("192.0.2.7")).accepted());
        assertFalse(policy.verify(tcpFrom("127.0.0.1")).accepted());
    }

    @Test
    void aBadConfigurationRejectsEverything() {
        AllowListPolicy policy = new AllowListPolicy(Map.of("portside.policy", "local", "allow", "10.0.0.300"));
        assertFalse(policy.verify(tcpFrom("10.0.0.1")).accepted());
    }
}
