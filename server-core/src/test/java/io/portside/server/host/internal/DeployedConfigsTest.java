package io.portside.server.host.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The .cfg files of a real deploy folder as FileInstall names them: PIDs, factory PIDs, the file key, the values. */
class DeployedConfigsTest {

    @TempDir
    Path deploy;

    @Test
    void aPlainNameIsAPidAndADashMakesAFactoryConfiguration() {
        DeployedConfigs.ConfigFile plain = DeployedConfigs.of(deploy.resolve("io.portside.sample.echo.stream.cfg"));
        assertEquals("io.portside.sample.echo.stream", plain.pid());
        assertNull(plain.factoryPid());
        assertNull(plain.name());

        DeployedConfigs.ConfigFile factory = DeployedConfigs.of(deploy.resolve("io.portside.listener-office-echo.cfg"));
        assertEquals("io.portside.listener~office-echo", factory.pid(), "split at the first dash only");
        assertEquals("io.portside.listener", factory.factoryPid());
        assertEquals("office-echo", factory.name());
    }

    @Test
    void theFileKeyIsTheAbsoluteFileUriFileInstallRecords() {
        Path file = deploy.resolve("io.portside.listener-banner.cfg");
        // java.io.File's form (file:/path), as FileInstall writes it, not Path's (file:///path): the key is matched as text.
        assertEquals("file:" + file.toAbsolutePath(), DeployedConfigs.of(file).fileKey());
    }

    @Test
    void listsOnlyCfgFilesThatFileInstallPicksUp() throws IOException {
        for (String name : List.of("a.cfg", "io.portside.listener-b.cfg", ".hidden.cfg", "c.cfg.tmp", "d.config", "e.jar")) {
            Files.writeString(deploy.resolve(name), "k=v\n");
        }
        Files.createDirectories(deploy.resolve("folder.cfg"));
        List<String> names = new DeployedConfigs(deploy).list().stream().map(f -> f.path().getFileName().toString()).sorted().toList();
        assertEquals(List.of("a.cfg", "io.portside.listener-b.cfg"), names);
    }

    @Test
    void aMissingFolderHasNoFiles() {
        assertEquals(List.of(), new DeployedConfigs(deploy.resolve("nowhere")).list());
    }

    @Test
    void valuesAreReadAsFileInstallReadsAPropertiesFileTrimmed() throws IOException {
        Path file = Files.writeString(deploy.resolve("io.portside.listener-x.cfg"),
                "# a comment\nendpoint = tcp://127.0.0.1:9999   \nhandler=echo\nlong=one \\\n  two\n");
        assertEquals(Map.of("endpoint", "tcp://127.0.0.1:9999", "handler", "echo", "long", "one two"), DeployedConfigs.of(file).read());
    }
}
