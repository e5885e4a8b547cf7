package com.example.handlers;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.portside.handler.api.PeerCredentials;
import io.portside.handler.api.PolicyDecision;
import io.portside.handler.api.PolicyRequest;
import io.portside.handler.api.Transport;

class PerClientLimitPolicyTest {

    private static PolicyRequest from(String ip) {
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
    void limitsOpenConnectionsPerClientAndReleasesThemAtTheEnd() {
        PerClientLimitPolicy policy = new PerClientLimitPolicy(Map.of("portside.policy", "two", "max", "2"));
        PolicyDecision first = policy.verify(from("192.0.2.1"));
        PolicyDecision second = policy.verify(from("192.0.2.1"));
        assertTrue(first.accepted() && second.accepted());
        assertFalse(policy.verify(from("192.0.2.1")).accepted());
        assertTrue(policy.verify(from("192.0.2.2")).accepted(), "another client has its own count");
        first.onRequestEnd().run();
        assertTrue(policy.verify(from("192.0.2.1")).accepted());
    }

    @Test
    void aBadValueRejectsEverything() {
        PerClientLimitPolicy policy = new PerClientLimitPolicy(Map.of("portside.policy", "two", "max", "four"));
        assertFalse(policy.verify(from("192.0.2.1")).accepted());
    }
}
