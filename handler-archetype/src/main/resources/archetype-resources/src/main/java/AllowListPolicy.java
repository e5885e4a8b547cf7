package ${package};

import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;

import io.portside.handler.api.AddressRange;
import io.portside.handler.api.ConfigOption;
import io.portside.handler.api.PolicyDecision;
import io.portside.handler.api.PolicyName;
import io.portside.handler.api.PolicyRequest;
import io.portside.handler.api.RequestPolicy;

/**
 * Admits IP clients whose address is in an {@code allow} list of CIDR ranges; rejects everyone else.
 *
 * <p>One instance per factory configuration: {@code deploy/${package}.allowlist-NAME.cfg} with
 * {@code portside.policy=NAME} and {@code allow=127.0.0.1, ::1, 10.0.0.0/8}; a listener attaches it with
 * {@code policy.required=NAME}. Without a configuration there is no instance (ConfigurationPolicy.REQUIRE).
 * An edited file reconfigures the running instance ({@link Modified}), so a listener never runs without it.
 * A file that does not parse is one log line, and the instance rejects every request until it is fixed.
 */
@Component(name = AllowListPolicy.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = RequestPolicy.class, immediate = true, property = "portside.policy.type=${artifactId}")
@PolicyName(policy = "${artifactId}")
public final class AllowListPolicy implements RequestPolicy {

    /** The factory PID: the prefix of every configuration file name, before the dash. */
    static final String FACTORY_PID = "${package}.allowlist";

    /** A list: items separated by commas and/or spaces, as the host reads its own lists. */
    static final ConfigOption<List<String>> ALLOW = ConfigOption.list("allow");

    private static final System.Logger LOG = System.getLogger("${package}");

    /** Replaced whole on each configuration, read by many accepting threads at once. */
    private volatile List<AddressRange> allowed = List.of();

    @Activate
    public AllowListPolicy(Map<String, Object> properties) {
        modified(properties);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        try {
            allowed = parse(properties);
            LOG.log(Level.INFO, "Policy {0} allows {1}", properties.get("portside.policy"), allowed);
        } catch (IllegalArgumentException e) {
            allowed = List.of();
            LOG.log(Level.ERROR, "Policy {0} rejects every request until its configuration is fixed: {1}",
                    properties.get("portside.policy"), e.getMessage());
        }
    }

    private static List<AddressRange> parse(Map<String, Object> properties) {
        List<AddressRange> ranges = new ArrayList<>();
        for (String item : ALLOW.from(properties)) {
            ranges.add(AddressRange.parse(item));
        }
        return List.copyOf(ranges);
    }

    /** Runs on the accepting thread for every connection: quick, and never blocking. */
    @Override
    public PolicyDecision verify(PolicyRequest request) {
        if (!(request.clientAddress() instanceof InetSocketAddress inet) || inet.getAddress() == null) {
            return PolicyDecision.reject("client " + request.clientAddress() + " has no IP address");
        }
        for (AddressRange range : allowed) {
            if (range.contains(inet.getAddress())) {
                return PolicyDecision.accept();
            }
        }
        return PolicyDecision.reject(inet.getAddress().getHostAddress() + " is in no allowed range");
    }
}
