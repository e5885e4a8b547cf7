package io.portside.policy.ratelimit;

import io.portside.policy.support.ConfiguredPolicy;
import io.portside.policy.support.ClientKey;

import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;

import io.portside.handler.api.PolicyDecision;
import io.portside.handler.api.PolicyName;
import io.portside.handler.api.PolicyRequest;
import io.portside.handler.api.RequestPolicy;

/**
 * The rate-limit policy: one instance per configuration of {@code io.portside.policy.ratelimit}, for example
 * {@code deploy/io.portside.policy.ratelimit-api.cfg} with {@code portside.policy=api} and {@code rate=5}. Each new
 * connection (stream listeners) or datagram (datagram listeners) takes one token of its client's bucket.
 *
 * <p>A bad configuration is one log line, and the instance rejects every request until it is fixed. Edits apply in
 * place ({@link Modified}): the buckets survive and follow the new rate.
 */
@Component(name = RateLimitPolicyService.FACTORY_PID, configurationPid = RateLimitPolicyService.FACTORY_PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, service = RequestPolicy.class, immediate = true,
        property = "portside.policy.type=rate-limit")
@PolicyName(policy = "rate-limit")
public final class RateLimitPolicyService implements RequestPolicy {

    static final String FACTORY_PID = "io.portside.policy.ratelimit";

    private static final System.Logger LOG = System.getLogger("io.portside.policy.ratelimit");

    private final RateLimiter limiter = new RateLimiter(System::nanoTime);
    /** The current configuration's policy, or a rejection of everything while the configuration is bad. */
    private final ConfiguredPolicy policy = new ConfiguredPolicy("rate-limit", LOG);

    @Activate
    public RateLimitPolicyService(Map<String, Object> properties) {
        modified(properties);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        policy.configure(properties, p -> {
            Rate rate = Rate.from(p);
            return ConfiguredPolicy.Active.info(request -> limiter.admit(ClientKey.of(request), rate), rate);
        });
    }

    @Override
    public PolicyDecision verify(PolicyRequest request) {
        return policy.verify(request);
    }
}
