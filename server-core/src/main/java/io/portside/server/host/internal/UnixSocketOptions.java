package io.portside.server.host.internal;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import io.portside.handler.api.Transport;
import io.portside.server.UnixSocketFile;

/**
 * A listener's {@code unix.mode} and {@code unix.group}: the exact permissions and the group its socket file gets
 * before the path appears. The default admits the host's user and group only (0660).
 *
 * @param permissions the socket file's permissions
 * @param group       the group to give it; {@code null} keeps the group it is created with
 */
record UnixSocketOptions(Set<PosixFilePermission> permissions, GroupPrincipal group) {

    static final String MODE = ListenerConfig.UNIX_MODE.key();
    static final String GROUP = ListenerConfig.UNIX_GROUP.key();
    static final UnixSocketOptions DEFAULT = new UnixSocketOptions(UnixSocketFile.DEFAULT_PERMISSIONS, null);

    /** Three octal digits, optionally after a 0: no setuid, setgid or sticky bit (meaningless on a socket). */
    private static final Pattern OCTAL_MODE = Pattern.compile("0?[0-7]{3}");
    /** Bit 8 (0400) first, as {@link PosixFilePermission} declares them. */
    private static final PosixFilePermission[] BITS = PosixFilePermission.values();

    UnixSocketOptions {
        permissions = Set.copyOf(permissions);
    }

    /**
     * The keys of a listener configuration; absent or empty keys mean the default.
     *
     * @throws IllegalArgumentException naming the key and the value, for a mode that is not octal, a group this host
     *                                  does not know, or either key on an endpoint that is not a Unix socket
     */
    static UnixSocketOptions parse(Map<String, Object> props, Endpoint endpoint) {
        String mode = ListenerConfig.UNIX_MODE.from(props);
        String group = ListenerConfig.UNIX_GROUP.from(props);
        if (mode.isEmpty() && group.isEmpty()) {
            return DEFAULT;
        }
        if (endpoint.transport() != Transport.UNIX_STREAM && endpoint.transport() != Transport.UNIX_DATAGRAM) {
            throw new IllegalArgumentException("'" + (mode.isEmpty() ? GROUP : MODE) + "' applies to unix: and unixgram: endpoints only, not "
                    + endpoint);
        }
        return new UnixSocketOptions(mode.isEmpty() ? UnixSocketFile.DEFAULT_PERMISSIONS : permissions(mode),
                group.isEmpty() ? null : group(group));
    }

    /** {@code 0660} as permissions. */
    static Set<PosixFilePermission> permissions(String octal) {
        if (!OCTAL_MODE.matcher(octal).matches()) {
            throw new IllegalArgumentException("'" + MODE + "' is not an octal file mode like 0660 (no setuid, setgid or sticky bit): '"
                    + octal + "'");
        }
        int bits = Integer.parseInt(octal, 8);
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        for (int i = 0; i < BITS.length; i++) {
            if ((bits & (0400 >> i)) != 0) {
                set.add(BITS[i]);
            }
        }
        return set;
    }

    /** A group by name, or by number (gid) when no group has that name. */
    static GroupPrincipal group(String nameOrGid) {
        try {
            return FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByGroupName(nameOrGid);
        } catch (UserPrincipalNotFoundException e) {
            throw new IllegalArgumentException("'" + GROUP + "' names no group on this host: '" + nameOrGid + "'");
        } catch (IOException | UnsupportedOperationException e) {
            throw new IllegalArgumentException("'" + GROUP + "' cannot be looked up: '" + nameOrGid + "' (" + e.getMessage() + ")");
        }
    }

    /** Sets the socket file's permissions and group before its server binds. */
    void applyTo(UnixSocketFile file) {
        file.setPermissions(permissions);
        file.setGroup(group);
    }

    @Override
    public String toString() {
        return "mode " + PosixFilePermissions.toString(permissions) + (group == null ? "" : ", group " + group.getName());
    }
}
