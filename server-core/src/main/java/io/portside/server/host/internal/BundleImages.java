package io.portside.server.host.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.BundleRevisions;
import org.osgi.framework.wiring.BundleWiring;

/**
 * Copies a bundle revision's content into a plain jar, so a worker JVM (no OSGi) can put it on a class path. The copy
 * is taken from the revision that loaded a given class, not from the bundle's current content: after a swap the old
 * revision's workers must still get the old classes. Nested jars of its {@code Bundle-ClassPath} become class path
 * entries of their own.
 */
final class BundleImages {

    private static final String MANIFEST = "META-INF/MANIFEST.MF";

    private BundleImages() {
    }

    /** The class path entries that hold what {@code type}'s bundle revision holds, written under {@code dir}. */
    static List<Path> snapshot(Class<?> type, Path dir, String name) throws IOException {
        Bundle bundle = FrameworkUtil.getBundle(type);
        if (bundle == null) {
            throw new IOException(type.getName() + " was not loaded by a bundle");
        }
        BundleWiring wiring = wiringOf(bundle, type.getClassLoader());
        List<URL> entries = wiring.findEntries("/", "*", BundleWiring.FINDENTRIES_RECURSE);
        Files.createDirectories(dir);
        Path jar = dir.resolve(name + ".jar");
        Manifest manifest = null;
        Set<String> written = new HashSet<>();
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(jar))) {
            for (URL entry : entries) {
                if (path(entry).equals(MANIFEST)) {
                    byte[] bytes = read(entry);
                    manifest = new Manifest(new java.io.ByteArrayInputStream(bytes));
                    put(zip, MANIFEST, bytes);
                    written.add(MANIFEST);
                }
            }
            for (URL entry : entries) {
                String path = path(entry);
                if (!path.isEmpty() && !path.endsWith("/") && written.add(path)) {
                    put(zip, path, read(entry));
                }
            }
        }
        List<Path> classPath = new ArrayList<>(List.of(jar));
        String bundleClassPath = manifest == null ? null : manifest.getMainAttributes().getValue("Bundle-ClassPath");
        if (bundleClassPath != null) {
            for (String element : bundleClassPath.split(",")) {
                String nested = element.trim().split(";")[0].trim();
                if (nested.isEmpty() || nested.equals(".") || nested.equals("/")) {
                    continue;
                }
                List<URL> found = wiring.findEntries(parent(nested), nested.substring(nested.lastIndexOf('/') + 1), 0);
                if (!found.isEmpty() && nested.endsWith(".jar")) {
                    Path copy = dir.resolve(name + "-" + nested.replace('/', '_'));
                    try (InputStream in = found.get(0).openStream()) {
                        Files.copy(in, copy);
                    }
                    classPath.add(copy);
                }
            }
        }
        return classPath;
    }

    /** The wiring of the revision whose class loader is {@code loader} (an updated bundle's old revision stays in use). */
    private static BundleWiring wiringOf(Bundle bundle, ClassLoader loader) throws IOException {
        BundleRevisions revisions = bundle.adapt(BundleRevisions.class);
        if (revisions != null) {
            for (BundleRevision revision : revisions.getRevisions()) {
                BundleWiring wiring = revision.getWiring();
                if (wiring != null && wiring.getClassLoader() == loader) {
                    return wiring;
                }
            }
        }
        BundleWiring current = bundle.adapt(BundleWiring.class);
        if (current == null) {
            throw new IOException("bundle " + bundle.getSymbolicName() + " is not resolved");
        }
        return current;
    }

    private static String path(URL entry) {
        String p = entry.getPath();
        return p.startsWith("/") ? p.substring(1) : p;
    }

    private static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "/" : "/" + path.substring(0, slash);
    }

    private static byte[] read(URL entry) throws IOException {
        try (InputStream in = entry.openStream()) {
            return in.readAllBytes();
        }
    }

    private static void put(ZipOutputStream zip, String path, byte[] bytes) throws IOException {
        zip.putNextEntry(new ZipEntry(path));
        OutputStream out = zip;
        out.write(bytes);
        zip.closeEntry();
    }
}
