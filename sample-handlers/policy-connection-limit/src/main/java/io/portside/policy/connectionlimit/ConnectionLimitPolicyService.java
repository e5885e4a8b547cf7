package io.portside.policy.connectionlimit;

import io.portside.policy.support.PolicyIdentity;
import io.portside.policy.support.ClientKey;

import java.lang.System.Logger.Level;
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
    /** The current limits, or a rejection of everything while the configuration is bad. */
    private volatile RequestPolicy current = request -> PolicyDecision.reject("not configured yet");

    @Activate
    public ConnectionLimitPolicyService(Map<String, Object> properties) {
        modified(properties);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        PolicyIdentity id = PolicyIdentity.of("connection-limit", properties);
        try {
            Limits limits = Limits.from(properties);
            current = request -> counter.admit(ClientKey.of(request), limits);
            LOG.log(Level.INFO, "Policy {0} active: {1}{2}", id.describe(), limits, id.namingHint());
        } catch (IllegalArgumentException e) {
            String problem = "bad configuration in " + id.source() + ": " + e.getMessage();
            current = request -> PolicyDecision.reject(problem);
            LOG.log(Level.ERROR, "Policy {0} rejects every request until its configuration is fixed: {1}", id.describe(), e.getMessage());
        }
    }

    @Override
    public PolicyDecision verify(PolicyRequest request) {
        return current.verify(request);
    }
}
