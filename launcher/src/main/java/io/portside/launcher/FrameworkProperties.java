package io.portside.launcher;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** The Felix framework configuration of a host with the given home. */
final class FrameworkProperties {

    /** Names FileInstall may pick up: jars and configurations, never dot files, {@code *.tmp} or {@code *.part}. */
    static final String DEPLOY_FILTER = "[^.].*\\.(jar|cfg|config)";

    private FrameworkProperties() {
    }

    static Map<String, String> of(Path home, boolean interactive, Map<String, String> overrides) {
        Map<String, String> p = new HashMap<>();
        p.put("org.osgi.framework.storage", home.resolve("felix-cache").toString());
        p.put("org.osgi.framework.storage.clean", "onFirstInit");
        p.put("org.osgi.framework.system.packages.extra", "jdk.net;version=\"0.0.0\",sun.misc;version=\"0.0.0\"");
        p.put("felix.log.level", "1");
        p.put("portside.home", home.toString());
        p.put("felix.fileinstall.dir", home.resolve("deploy").toString());
        // FileInstall's scratch directory (one fileinstall-<random> per start), inside the cache that the next start
        // cleans, rather than in java.io.tmpdir, where every start of a host left one behind.
        p.put("felix.fileinstall.tmpdir", home.resolve("felix-cache").resolve("fileinstall").toString());
        p.put("felix.fileinstall.poll", "500");
        p.put("felix.fileinstall.filter", DEPLOY_FILTER);
        p.put("felix.fileinstall.noInitialDelay", "false");
        p.put("felix.fileinstall.log.default", "jul");
        p.put("felix.fileinstall.log.level", "3");
        p.put("felix.fileinstall.bundles.new.start", "true");
        p.put("felix.fileinstall.enableConfigSave", "false");
        p.put("ds.loglevel", "warn");
        p.put("gosh.args", interactive ? "--noshutdown" : "--nointeractive");
        p.put("gosh.home", home.toString());
        for (String key : System.getProperties().stringPropertyNames()) {
            if (key.startsWith("felix.") || key.startsWith("org.osgi.") || key.startsWith("gosh.")
                    || key.startsWith("portside.") || key.startsWith("ds.")) {
                p.put(key, System.getProperty(key));
            }
        }
        p.putAll(overrides);
        // Felix takes its logger as an object in the same map (its documented way for an embedding launcher).
        @SuppressWarnings({"unchecked", "rawtypes"})
        Map<Object, Object> objects = (Map) p;
        objects.put("felix.log.logger", new FelixFrameworkLog());
        return p;
    }
}
