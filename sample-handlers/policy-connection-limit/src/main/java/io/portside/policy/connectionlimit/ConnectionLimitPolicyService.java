package io.portside.policy.connectionlimit;

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
 * The connection-limit policy: one instance per configuration of {@code io.portside.policy.connectionlimit}, for
 * example {@code deploy/io.portside.policy.connectionlimit-web.cfg} with {@code portside.policy=web} and
 * {@code max.per.client=4}. Its counts are shared by every listener that attaches the instance.
 *
 * <p>A bad configuration is one log line, and the instance rejects every new connection until it is fixed. Edits
 * apply in place ({@link Modified}): the counts of open connections survive, so a tighter limit takes effect as
 * connections close rather than by forgetting them.
 */
@Component(name = ConnectionLimitPolicyService.FACTORY_PID, configurationPid = ConnectionLimitPolicyService.FACTORY_PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, service = RequestPolicy.class, immediate = true,
        property = "portside.policy.type=connection-limit")
@PolicyName(policy = "connection-limit")
public final class ConnectionLimitPolicyService implements RequestPolicy {

    static final String FACTORY_PID = "io.portside.policy.connectionlimit";

    private static final System.Logger LOG = System.getLogger("io.portside.policy.connectionlimit");

    private final ConnectionCounter counter = new ConnectionCounter();
    /** The current configuration's policy, or a rejection of everything while the configuration is bad. */
    private final ConfiguredPolicy policy = new ConfiguredPolicy("connection-limit", LOG);

    @Activate
    public ConnectionLimitPolicyService(Map<String, Object> properties) {
        modified(properties);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        policy.configure(properties, p -> {
            Limits limits = Limits.from(p);
            return ConfiguredPolicy.Active.info(request -> counter.admit(ClientKey.of(request), limits), limits);
        });
    }

    @Override
    public PolicyDecision verify(PolicyRequest request) {
        return policy.verify(request);
    }
}
