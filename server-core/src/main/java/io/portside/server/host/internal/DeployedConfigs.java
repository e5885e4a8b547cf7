package io.portside.server.host.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The configuration files of the deploy folder as FileInstall sees them: {@code NAME.cfg} is the configuration of PID
 * NAME, {@code FACTORY-NAME.cfg} the named factory configuration NAME of FACTORY; dot files and temporary names are
 * never picked up. Read-only: FileInstall applies them; the host only checks that they were applied.
 */
final class DeployedConfigs {

    /** One {@code .cfg} file: where it is, the key FileInstall stores in the configuration, and its PIDs. */
    record ConfigFile(Path path, String fileKey, String pid, String factoryPid, String name) {

        /** The file's properties, as FileInstall reads a {@code .cfg} (a properties file of strings). */
        Map<String, String> read() throws IOException {
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(path)) {
                p.load(in);
            }
            Map<String, String> out = new HashMap<>();
            for (String k : p.stringPropertyNames()) {
                out.put(k, p.getProperty(k).trim());
            }
            return out;
        }
    }

    /** The property in which FileInstall records the file a configuration came from (a {@code file:} URI). */
    static final String FILE_KEY = "felix.fileinstall.filename";

    private final Path deploy;

    DeployedConfigs(Path deploy) {
        this.deploy = deploy;
    }

    /** The deploy folder FileInstall watches for this host: {@code felix.fileinstall.dir}, else {@code <home>/deploy}. */
    static DeployedConfigs forHost(org.osgi.framework.BundleContext context) {
        String dir = context.getProperty("felix.fileinstall.dir");
        String home = context.getProperty("portside.home");
        return new DeployedConfigs(dir != null ? Path.of(dir) : Path.of(home == null ? "." : home).resolve("deploy"));
    }

    /** The {@code .cfg} files there now (FileInstall's {@code felix.fileinstall.filter} of this host). */
    List<ConfigFile> list() {
        List<ConfigFile> files = new ArrayList<>();
        if (!Files.isDirectory(deploy)) {
            return files;
        }
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(deploy, "[!.]*.cfg")) {
            for (Path p : dir) {
                if (Files.isRegularFile(p)) {
                    files.add(of(p));
                }
            }
        } catch (IOException e) {
            // The folder cannot be read now (e.g. no descriptors left); the next check tries again.
        }
        return files;
    }

    /** The configuration FileInstall made of {@code file}, or null. */
    static org.osgi.service.cm.Configuration find(org.osgi.service.cm.ConfigurationAdmin configAdmin, ConfigFile file) throws Exception {
        org.osgi.service.cm.Configuration[] found = configAdmin.listConfigurations("(" + FILE_KEY + "=" + escape(file.fileKey()) + ")");
        return found == null || found.length == 0 ? null : found[0];
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").replace("*", "\\*");
    }

    static ConfigFile of(Path p) {
        String base = p.getFileName().toString();
        base = base.substring(0, base.length() - ".cfg".length());
        int dash = base.indexOf('-');
        String factory = dash < 0 ? null : base.substring(0, dash);
        String name = dash < 0 ? null : base.substring(dash + 1);
        String pid = dash < 0 ? base : factory + "~" + name;
        return new ConfigFile(p, p.toAbsolutePath().toFile().toURI().toString(), pid, factory, name);
    }
}
