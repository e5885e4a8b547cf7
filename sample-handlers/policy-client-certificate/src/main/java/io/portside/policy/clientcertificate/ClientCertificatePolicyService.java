package io.portside.policy.clientcertificate;

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
 * The client-certificate policy: one instance per configuration of {@code io.portside.policy.clientcertificate}, for
 * example {@code deploy/io.portside.policy.clientcertificate-partners.cfg} with {@code portside.policy=partners}. See
 * {@link CertificateRules} for what it allows. On a TLS listener the host runs policies after the handshake, so the
 * certificate it judges is the one the handshake verified.
 *
 * <p>A configuration that does not parse is one log line, and the instance rejects every request until it is fixed.
 * Edits apply in place ({@link Modified}).
 */
@Component(name = ClientCertificatePolicyService.FACTORY_PID, configurationPid = ClientCertificatePolicyService.FACTORY_PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, service = RequestPolicy.class, immediate = true,
        property = "portside.policy.type=client-certificate")
@PolicyName(policy = "client-certificate")
public final class ClientCertificatePolicyService implements RequestPolicy {

    static final String FACTORY_PID = "io.portside.policy.clientcertificate";

    private static final System.Logger LOG = System.getLogger("io.portside.policy.clientcertificate");

    /** The current configuration's policy, or a rejection of everything while the configuration is bad. */
    private final ConfiguredPolicy policy = new ConfiguredPolicy("client-certificate", LOG);

    @Activate
    public ClientCertificatePolicyService(Map<String, Object> properties) {
        modified(properties);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        policy.configure(properties, p -> {
            CertificateRules rules = CertificateRules.from(p);
            return new ConfiguredPolicy.Active(rules::decide, rules.allowsNobody() ? Level.WARNING : Level.INFO,
                    rules + (rules.allowsNobody() ? " (it allows nobody)" : ""));
        });
    }

    @Override
    public PolicyDecision verify(PolicyRequest request) {
        return policy.verify(request);
    }
}
