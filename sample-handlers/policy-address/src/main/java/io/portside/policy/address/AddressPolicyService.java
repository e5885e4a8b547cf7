package io.portside.policy.address;

import io.portside.policy.support.ConfiguredPolicy;

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
 * The address policy: one instance per configuration of {@code io.portside.policy.address}, for example
 * {@code deploy/io.portside.policy.address-office.cfg} with {@code portside.policy=office}. See {@link AddressRules}
 * for what it allows.
 *
 * <p>A configuration that does not parse is one log line, and the instance rejects every request until the
 * configuration is fixed: listeners that require it fail closed. Edits apply in place ({@link Modified}), so a
 * listener never sees a moment without the policy.
 */
@Component(name = AddressPolicyService.FACTORY_PID, configurationPid = AddressPolicyService.FACTORY_PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, service = RequestPolicy.class, immediate = true,
        property = "portside.policy.type=address")
@PolicyName(policy = "address")
public final class AddressPolicyService implements RequestPolicy {

    static final String FACTORY_PID = "io.portside.policy.address";

    private static final System.Logger LOG = System.getLogger("io.portside.policy.address");

    /** The current configuration's policy, or a rejection of everything while the configuration is bad. */
    private final ConfiguredPolicy policy = new ConfiguredPolicy("address", LOG);

    @Activate
    public AddressPolicyService(Map<String, Object> properties) {
        modified(properties);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        policy.configure(properties, p -> {
            AddressRules rules = AddressRules.from(p);
            return new ConfiguredPolicy.Active(rules::decide, rules.allowsNobody() ? Level.WARNING : Level.INFO,
                    rules + (rules.allowsNobody() ? " (it allows nobody)" : ""));
        });
    }

    @Override
    public PolicyDecision verify(PolicyRequest request) {
        return policy.verify(request);
    }
}
