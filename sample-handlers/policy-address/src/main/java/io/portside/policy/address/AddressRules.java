package io.portside.policy.address;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import io.portside.handler.api.AddressRange;
import io.portside.handler.api.ConfigOption;
import io.portside.handler.api.ConfigValues;
import io.portside.handler.api.PeerCredentials;
import io.portside.handler.api.PolicyDecision;
import io.portside.handler.api.PolicyRequest;

/**
 * The address policy's rules, without any OSGi: who may connect.
 *
 * <ul>
 * <li>IP clients (TCP, UDP): rejected if their address is in a {@code deny} range, else accepted if it is in an
 * {@code allow} range, else rejected. An empty {@code allow} list allows no IP client.</li>
 * <li>Unix socket clients: judged by the peer's user and group as the kernel reports them: rejected if either is
 * in {@code deny.users}/{@code deny.groups}, else accepted if the user is in {@code allow.users} or the group in
 * {@code allow.groups}, else rejected. A client without credentials (a Unix datagram) is rejected.</li>
 * </ul>
 * Everything not explicitly allowed is rejected, so a typo narrows access instead of widening it.
 */
final class AddressRules {

    /** Lists, as {@link ConfigValues#list} reads them: items separated by commas and/or white space. */
    static final ConfigOption<List<String>> ALLOW = ConfigOption.list("allow");
    static final ConfigOption<List<String>> DENY = ConfigOption.list("deny");
    static final ConfigOption<List<String>> ALLOW_USERS = ConfigOption.list("allow.users");
    static final ConfigOption<List<String>> ALLOW_GROUPS = ConfigOption.list("allow.groups");
    static final ConfigOption<List<String>> DENY_USERS = ConfigOption.list("deny.users");
    static final ConfigOption<List<String>> DENY_GROUPS = ConfigOption.list("deny.groups");

    private final List<AddressRange> allow;
    private final List<AddressRange> deny;
    private final Set<String> allowUsers;
    private final Set<String> allowGroups;
    private final Set<String> denyUsers;
    private final Set<String> denyGroups;

    private AddressRules(List<AddressRange> allow, List<AddressRange> deny, Set<String> allowUsers, Set<String> allowGroups,
            Set<String> denyUsers, Set<String> denyGroups) {
        this.allow = allow;
        this.deny = deny;
        this.allowUsers = allowUsers;
        this.allowGroups = allowGroups;
        this.denyUsers = denyUsers;
        this.denyGroups = denyGroups;
    }

    /**
     * The rules a configuration describes.
     *
     * @throws IllegalArgumentException naming the key and the value that is wrong
     */
    static AddressRules from(Map<String, ?> properties) {
        return new AddressRules(ranges(properties, ALLOW), ranges(properties, DENY),
                names(properties, ALLOW_USERS), names(properties, ALLOW_GROUPS),
                names(properties, DENY_USERS), names(properties, DENY_GROUPS));
    }

    private static List<AddressRange> ranges(Map<String, ?> properties, ConfigOption<List<String>> option) {
        List<AddressRange> ranges = new ArrayList<>();
        for (String item : option.from(properties)) {
            try {
                ranges.add(AddressRange.parse(item));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + option.key() + "': " + e.getMessage(), e);
            }
        }
        return List.copyOf(ranges);
    }

    private static Set<String> names(Map<String, ?> properties, ConfigOption<List<String>> option) {
        return new TreeSet<>(option.from(properties));
    }

    PolicyDecision decide(PolicyRequest request) {
        if (request.clientAddress() instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return decideIp(inet);
        }
        return switch (request.transport()) {
            case UNIX_STREAM, UNIX_DATAGRAM -> decideUnix(request.peerCredentials());
            default -> PolicyDecision.reject("client address " + request.clientAddress() + " is not an IP address");
        };
    }

    private PolicyDecision decideIp(InetSocketAddress client) {
        String who = client.getAddress().getHostAddress();
        for (AddressRange range : deny) {
            if (range.contains(client.getAddress())) {
                return PolicyDecision.reject(who + " is in denied range " + range);
            }
        }
        for (AddressRange range : allow) {
            if (range.contains(client.getAddress())) {
                return PolicyDecision.accept();
            }
        }
        return PolicyDecision.reject(who + " is in no allowed range");
    }

    private PolicyDecision decideUnix(Optional<PeerCredentials> credentials) {
        if (credentials.isEmpty()) {
            return PolicyDecision.reject("the Unix peer's user is unknown (no credentials on this transport)");
        }
        PeerCredentials peer = credentials.get();
        if (denyUsers.contains(peer.user()) || denyGroups.contains(peer.group())) {
            return PolicyDecision.reject("Unix peer " + peer.user() + "/" + peer.group() + " is denied");
        }
        if (allowUsers.contains(peer.user()) || allowGroups.contains(peer.group())) {
            return PolicyDecision.accept();
        }
        return PolicyDecision.reject("Unix peer " + peer.user() + "/" + peer.group() + " is not allowed");
    }

    /** True if no client at all can pass: worth a warning, though it is a valid way to close a listener. */
    boolean allowsNobody() {
        return allow.isEmpty() && allowUsers.isEmpty() && allowGroups.isEmpty();
    }

    @Override
    public String toString() {
        return ALLOW + " " + allow + ", " + DENY + " " + deny + ", " + ALLOW_USERS + " " + allowUsers + ", " + ALLOW_GROUPS + " "
                + allowGroups + ", " + DENY_USERS + " " + denyUsers + ", " + DENY_GROUPS + " " + denyGroups;
    }
}
