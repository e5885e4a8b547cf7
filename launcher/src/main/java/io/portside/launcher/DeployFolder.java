package io.portside.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The home's {@code deploy/} folder. On the first start (no folder yet) it is seeded with the sample handler
 * bundles and a listener for the echo sample's protocol, so echo answers without any other step. Each jar is written under a temporary name and then renamed,
 * the same copy-then-rename that users are told to do, so FileInstall never sees half a jar. The folder and the seeded
 * jars are owner-only whatever the umask: the deploy gate refuses files that others may write.
 */
final class DeployFolder {

    private static final System.Logger LOG = System.getLogger("io.portside.launcher");

    private DeployFolder() {
    }

    static void prepare(Path deploy, boolean seedSamples) throws IOException {
        if (Files.isDirectory(deploy)) {
            return;
        }
        HomeFolders.createOwnerOnly(deploy);
        if (!seedSamples) {
            return;
        }
        int n = 0;
        for (EmbeddedJars.Jar sample : EmbeddedJars.list("samples")) {
            Path tmp = deploy.resolve("." + sample.name() + ".tmp");
            try (InputStream in = sample.open()) {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            if (deploy.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            }
            Files.move(tmp, deploy.resolve(sample.name()), StandardCopyOption.ATOMIC_MOVE);
            n++;
        }
        writeOwnerOnly(deploy, PROTOCOL_LISTENER, PROTOCOL_LISTENER_CONFIG);
        LOG.log(Level.INFO, "First start: seeded {0} with {1} sample handler bundles and the {2} listener", deploy, n, "echo-protocol");
    }

    /** The echo sample's event-driven protocol has no endpoint of its own: this listener binds it (docs/protocols.md). */
    static final String PROTOCOL_LISTENER = "io.portside.listener-echo-protocol.cfg";
    private static final String PROTOCOL_LISTENER_CONFIG = """
            # The echo sample's event-driven protocol (docs/protocols.md), bound by name like any handler.
            endpoint=tcp://127.0.0.1:9995
            handler=echo-protocol
            """;

    private static void writeOwnerOnly(Path deploy, String name, String content) throws IOException {
        Path tmp = deploy.resolve("." + name + ".tmp");
        Files.writeString(tmp, content);
        if (deploy.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        }
        Files.move(tmp, deploy.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }
}
