package io.portside.server.host.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The {@code unix.mode} and {@code unix.group} keys of a listener configuration. */
@Execution(ExecutionMode.CONCURRENT)
class UnixSocketOptionsTest {

    private static final Path HOME = Path.of("/tmp/portside-home");
    private static final Endpoint UNIX = Endpoint.parse("unix:sockets/x.sock", HOME);

    @Test
    void noKeysMeanOwnerAndGroupOnly() {
        UnixSocketOptions options = UnixSocketOptions.parse(Map.of(), UNIX);
        assertSame(UnixSocketOptions.DEFAULT, options);
        assertEquals("rw-rw----", PosixFilePermissions.toString(options.permissions()));
        assertNull(options.group());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0640", "640"})
    void anOctalModeIsRead(String mode) {
        assertEquals("rw-r-----", PosixFilePermissions.toString(UnixSocketOptions.parse(Map.of("unix.mode", mode), UNIX).permissions()));
    }

    @Test
    void aGroupIsLookedUpByNameOrNumber() throws Exception {
        String name = Files.readAttributes(Path.of("/tmp"), PosixFileAttributes.class).group().getName();
        assertEquals(name, UnixSocketOptions.parse(Map.of("unix.group", name), UNIX).group().getName());
        assertEquals("65534", UnixSocketOptions.parse(Map.of("unix.group", "65534"), UNIX).group().getName(), "a gid is accepted");
    }

    @ParameterizedTest
    @ValueSource(strings = {"rw-rw----", "660x", "0o660", "4660", "08", "-1", "0x1b0", "06600"})
    void aBadModeNamesTheKeyAndTheValue(String mode) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> UnixSocketOptions.parse(Map.of("unix.mode", mode), UNIX));
        assertEquals("'unix.mode' is not an octal file mode like 0660 (no setuid, setgid or sticky bit): '" + mode + "'", e.getMessage());
    }

    @Test
    void anUnknownGroupNamesTheKeyAndTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> UnixSocketOptions.parse(Map.of("unix.group", "no-such-group-here"), UNIX));
        assertEquals("'unix.group' names no group on this host: 'no-such-group-here'", e.getMessage());
    }

    /** A new mode or group needs a new socket file: the listener rebinds. */
    @Test
    void aChangedModeOrGroupRebindsTheListener() {
        ListenerSpec plain = ListenerSpecs.explicit("io.portside.listener~x", Map.of("endpoint", "unix:x.sock", "handler", "echo"), HOME);
        ListenerSpec same = ListenerSpecs.explicit("io.portside.listener~x",
                Map.of("endpoint", "unix:x.sock", "handler", "echo", "unix.mode", "0660"), HOME);
        ListenerSpec open = ListenerSpecs.explicit("io.portside.listener~x",
                Map.of("endpoint", "unix:x.sock", "handler", "echo", "unix.mode", "0666"), HOME);
        ListenerSpec grouped = ListenerSpecs.explicit("io.portside.listener~x",
                Map.of("endpoint", "unix:x.sock", "handler", "echo", "unix.group", "65534"), HOME);
        assertEquals(false, plain.needsRebind(same));
        assertEquals(true, plain.needsRebind(open));
        assertEquals(true, plain.needsRebind(grouped));
    }

    @Test
    void theKeysOnAnIpEndpointAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> UnixSocketOptions.parse(Map.of("unix.mode", "0600"), Endpoint.parse("tcp://127.0.0.1:9", HOME)));
        assertEquals("'unix.mode' applies to unix: and unixgram: endpoints only, not tcp://127.0.0.1:9", e.getMessage());
    }
}
