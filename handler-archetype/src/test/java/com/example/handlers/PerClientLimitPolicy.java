package com.example.handlers;

import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;

import io.portside.handler.api.ConfigOption;
import io.portside.handler.api.PolicyDecision;
import io.portside.handler.api.PolicyName;
import io.portside.handler.api.PolicyRequest;
import io.portside.handler.api.RequestPolicy;

/**
 * At most {@code max} open connections per client IP address. One instance per factory configuration,
 * {@code deploy/com.example.handlers.perclient-NAME.cfg}; none without one (REQUIRE).
 */
@Component(name = "com.example.handlers.perclient", configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = RequestPolicy.class, immediate = true, property = "portside.policy.type=per-client")
@PolicyName(policy = "per-client")
public final class PerClientLimitPolicy implements RequestPolicy {

    static final ConfigOption<Integer> MAX = ConfigOption.integer("max", 4, 1);

    private static final System.Logger LOG = System.getLogger("com.example.handlers");

    private final Map<String, AtomicInteger> open = new ConcurrentHashMap<>();
    private volatile int max;

    @Activate
    public PerClientLimitPolicy(Map<String, Object> properties) {
        modified(properties);
    }

    /** A changed file reconfigures this instance in place: the counts of open connections survive. */
    @Modified
    void modified(Map<String, Object> properties) {
        try {
            max = MAX.from(properties);
            LOG.log(Level.INFO, "Policy {0}: at most {1} connections per client", properties.get("portside.policy"), max);
        } catch (IllegalArgumentException e) {
            max = 0; // fail closed until the file is fixed
            LOG.log(Level.ERROR, "Policy {0} rejects every request: {1}", properties.get("portside.policy"), e.getMessage());
        }
    }

    @Override
    public PolicyDecision verify(PolicyRequest request) {
        String client = clientKey(request.clientAddress());
        AtomicInteger count = open.computeIfAbsent(client, c -> new AtomicInteger());
        if (count.incrementAndGet() > max) {
            release(client, count);
            return PolicyDecision.reject(client + " has " + max + " connections open already");
        }
        // The host runs this exactly once, when the connection (or datagram) has ended.
        return PolicyDecision.accept(() -> release(client, count));
    }

    private void release(String client, AtomicInteger count) {
        if (count.decrementAndGet() == 0) {
            open.remove(client, count);
        }
    }

    private static String clientKey(SocketAddress address) {
        return address instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress() : String.valueOf(address);
    }
}
