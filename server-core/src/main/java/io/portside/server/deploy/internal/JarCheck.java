package io.portside.server.deploy.internal;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.util.Enumeration;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.CRC32;

/**
 * Checks a jar before it may replace anything: it must open as a zip (a truncated copy fails here), every entry
 * must read to its end with a good CRC, and its manifest must name a bundle. FileInstall itself stops the old
 * bundle first and looks at the new bytes afterwards.
 */
final class JarCheck {

    /** What the check found: the bundle's identity, or why the jar cannot be deployed. */
    record Result(String symbolicName, String version, String problem) {
        boolean ok() {
            return problem == null;
        }
    }

    private JarCheck() {
    }

    static Result check(File file) {
        try (JarFile jar = new JarFile(file, true)) {
            Manifest manifest = jar.getManifest();
            if (manifest == null) {
                return problem("it has no META-INF/MANIFEST.MF");
            }
            Attributes main = manifest.getMainAttributes();
            String bsn = main.getValue("Bundle-SymbolicName");
            if (bsn == null || bsn.isBlank()) {
                return problem("its manifest has no Bundle-SymbolicName: it is not an OSGi bundle");
            }
            if (!"2".equals(String.valueOf(main.getValue("Bundle-ManifestVersion")).trim())) {
                return problem("its manifest lacks Bundle-ManifestVersion: 2");
            }
            byte[] sink = new byte[16384];
            for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                JarEntry entry = e.nextElement();
                if (!intact(jar, entry, sink)) {
                    return problem("its entry " + entry.getName() + " is damaged (CRC mismatch)");
                }
            }
            String version = main.getValue("Bundle-Version");
            return new Result(bsn.split(";")[0].trim(), version == null ? "0.0.0" : version.trim(), null);
        } catch (IOException | SecurityException e) {
            return problem("it is not a readable jar (" + e.getMessage() + ")");
        }
    }

    /**
     * Reads the entry to its end and compares its CRC. The JDK checks a deflated entry's CRC itself, but not a stored
     * (uncompressed) one's, so a flipped bit there would pass unseen.
     */
    private static boolean intact(JarFile jar, JarEntry entry, byte[] sink) throws IOException {
        CRC32 crc = new CRC32();
        try (InputStream in = jar.getInputStream(entry)) {
            for (int n; (n = in.read(sink)) >= 0; ) {
                crc.update(sink, 0, n);
            }
        }
        return entry.getCrc() == -1 || entry.getCrc() == crc.getValue();
    }

    private static Result problem(String why) {
        return new Result(null, null, why);
    }
}
