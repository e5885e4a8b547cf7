package io.portside.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The jars the build embedded in the launcher under a folder ({@code bundles/} or {@code samples/}), whether the
 * launcher runs from its executable jar or from {@code target/classes} (tests).
 */
final class EmbeddedJars {

    /** One embedded jar: its file name and how to read it. */
    record Jar(String name, String resource) {
        InputStream open() throws IOException {
            InputStream in = EmbeddedJars.class.getClassLoader().getResourceAsStream(resource);
            if (in == null) {
                throw new IOException("embedded jar missing: " + resource);
            }
            return in;
        }
    }

    private EmbeddedJars() {
    }

    static List<Jar> list(String folder) throws IOException {
        Path location;
        try {
            location = Path.of(EmbeddedJars.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IOException("cannot locate the launcher: " + e.getMessage(), e);
        }
        List<Jar> jars = new ArrayList<>();
        if (Files.isDirectory(location)) {
            Path dir = location.resolve(folder);
            if (Files.isDirectory(dir)) {
                try (Stream<Path> files = Files.list(dir)) {
                    files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jar")).sorted()
                            .forEach(n -> jars.add(new Jar(n, folder + "/" + n)));
                }
            }
        } else {
            try (JarFile jar = new JarFile(location.toFile())) {
                for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                    String entry = e.nextElement().getName();
                    if (entry.startsWith(folder + "/") && entry.endsWith(".jar") && entry.indexOf('/', folder.length() + 1) < 0) {
                        jars.add(new Jar(entry.substring(folder.length() + 1), entry));
                    }
                }
            }
            jars.sort((a, b) -> a.name().compareTo(b.name()));
        }
        if (jars.isEmpty() && folder.equals("bundles")) {
            throw new IOException("no runtime bundles embedded under " + location + "/" + folder + "; was the launcher built with 'mvn package'?");
        }
        return jars;
    }
}
