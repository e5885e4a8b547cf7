package io.portside.server.host.internal;

import java.net.SocketAddress;
import java.util.List;
import java.util.Optional;

import io.portside.handler.api.PeerCredentials;
import io.portside.handler.api.PolicyDecision;
import io.portside.handler.api.PolicyRequest;
import io.portside.handler.api.ProxyInfo;
import io.portside.handler.api.RequestPolicy;
import io.portside.handler.api.TlsInfo;
import io.portside.handler.api.Transport;

/**
 * The policies attached to one listener, in ranking order: the first rejection wins. A listener that asks for
 * policies of which none is present rejects everything ("fail closed"), so that a missing policy bundle never
 * means serving everyone.
 *
 * @param required true if the listener's configuration names policies
 * @param policies the matching policies, highest ranking first
 * @param missing  policies named in {@code policy.required} that are not there; any makes the chain reject all
 */
record PolicyChain(boolean required, List<NamedPolicy> policies, List<String> missing) {

    static final PolicyChain NONE = new PolicyChain(false, List.of(), List.of());

    record NamedPolicy(String name, RequestPolicy policy) {
    }

    /**
     * The decision for one request. A policy that throws, Errors included (a policy bundle being refreshed under it),
     * counts as a rejection: fail closed. What the policies before it hold is released.
     */
    PolicyDecision verify(PolicyRequest request) {
        String refusal = refusesAll();
        if (refusal != null) {
            return PolicyDecision.reject(refusal);
        }
        if (policies.isEmpty()) {
            return PolicyDecision.accept();
        }
        Runnable release = null;
        for (NamedPolicy p : policies) {
            PolicyDecision d;
            try {
                d = p.policy().verify(request);
            } catch (Throwable e) {
                d = PolicyDecision.reject("policy " + p.name() + " failed: " + e);
            }
            if (d == null || !d.accepted()) {
                releaseQuietly(release);
                return d == null ? PolicyDecision.reject("policy " + p.name() + " returned no decision")
                        : PolicyDecision.reject(p.name() + ": " + d.reason());
            }
            release = chain(release, d.onRequestEnd());
        }
        return release == null ? PolicyDecision.accept() : PolicyDecision.accept(release);
    }

    /** Runs what earlier policies hold; a release that fails does not change the rejection. */
    private static void releaseQuietly(Runnable release) {
        if (release == null) {
            return;
        }
        try {
            release.run();
        } catch (RuntimeException e) {
            System.getLogger("io.portside.host").log(System.Logger.Level.WARNING,
                    "A policy failed to release a rejected request: {0}", String.valueOf(e));
        }
    }

    private static Runnable chain(Runnable first, Runnable second) {
        if (first == null || second == null) {
            return first == null ? second : first;
        }
        return () -> {
            try {
                first.run();
            } finally {
                second.run();
            }
        };
    }

    /**
     * Why it refuses every request whatever the request is, or null: a required policy is missing, or none is there
     * where one is required (fail closed).
     */
    String refusesAll() {
        if (!missing.isEmpty()) {
            return "required policies not available: " + missing + " (failing closed)";
        }
        return policies.isEmpty() && required ? "no policy available (listener requires one; failing closed)" : null;
    }

    /** False when it admits everyone without asking anybody: no policy attached, none required. */
    boolean judges() {
        return required || !policies.isEmpty();
    }

    List<String> names() {
        return policies.stream().map(NamedPolicy::name).toList();
    }

    /** What the policies are told about one connection; its credentials and TLS session are read only when one asks. */
    record ConnectionRequest(String listener, Transport transport, Connection connection) implements PolicyRequest {
        @Override
        public SocketAddress clientAddress() {
            return connection.clientAddress();
        }

        @Override
        public Optional<PeerCredentials> peerCredentials() {
            return connection.peerCredentials();
        }

        @Override
        public Optional<TlsInfo> tls() {
            return connection.tls();
        }

        @Override
        public Optional<ProxyInfo> proxy() {
            return connection.proxy();
        }
    }
}
