package io.portside.server.deploy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a jar must be before it may replace a running bundle: whole, readable, and a bundle. */
class JarCheckTest {

    @TempDir
    Path dir;

    @Test
    void aBundleIsNamedWithoutItsDirectivesAndWithItsVersion() throws IOException {
        Path jar = bundle("good.jar", "io.example.good;singleton:=true", "1.2.3");
        JarCheck.Result r = JarCheck.check(jar.toFile());
        assertTrue(r.ok(), r.problem());
        assertEquals("io.example.good", r.symbolicName());
        assertEquals("1.2.3", r.version());
        assertNull(r.problem());
    }

    @Test
    void aBundleWithoutAVersionIsVersionZero() throws IOException {
        assertEquals("0.0.0", JarCheck.check(bundle("nover.jar", "io.example.nover", null).toFile()).version());
    }

    @Test
    void aJarWithoutAManifestIsRefused() throws IOException {
        Path jar = dir.resolve("plain.jar");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new ZipEntry("a.txt"));
            out.write("hello".getBytes(StandardCharsets.US_ASCII));
        }
        assertProblem(jar, "it has no META-INF/MANIFEST.MF");
    }

    @Test
    void aPlainJarIsNotABundle() throws IOException {
        Manifest m = manifest();
        assertProblem(write("plain.jar", m), "its manifest has no Bundle-SymbolicName: it is not an OSGi bundle");
        m.getMainAttributes().putValue("Bundle-SymbolicName", "  ");
        assertProblem(write("blank.jar", m), "its manifest has no Bundle-SymbolicName: it is not an OSGi bundle");
    }

    @Test
    void anOldStyleBundleIsRefused() throws IOException {
        Manifest m = manifest();
        m.getMainAttributes().putValue("Bundle-SymbolicName", "io.example.r3");
        assertProblem(write("r3.jar", m), "its manifest lacks Bundle-ManifestVersion: 2");
    }

    @Test
    void aTruncatedCopyIsRefused() throws IOException {
        byte[] good = Files.readAllBytes(bundle("good.jar", "io.example.good", "1.0.0"));
        Path half = Files.write(dir.resolve("half.jar"), Arrays.copyOf(good, good.length / 2));
        JarCheck.Result r = JarCheck.check(half.toFile());
        assertFalse(r.ok());
        assertTrue(r.problem().startsWith("it is not a readable jar ("), r.problem());
        assertNull(r.symbolicName());
    }

    @Test
    void aDamagedEntryIsRefused() throws IOException {
        Path jar = bundle("damaged.jar", "io.example.damaged", "1.0.0");
        byte[] bytes = Files.readAllBytes(jar);
        int at = indexOf(bytes, "data/big.txt".getBytes(StandardCharsets.US_ASCII)) + 200; // inside its compressed data
        Arrays.fill(bytes, at, at + 64, (byte) 0xFF); // the zip's directory is intact: it opens, but the entry cannot be read
        Files.write(jar, bytes);
        JarCheck.Result r = JarCheck.check(jar.toFile());
        assertFalse(r.ok());
        assertTrue(r.problem().startsWith("it is not a readable jar ("), r.problem());
    }

    /** A stored (uncompressed) entry has no inflater to notice damage: its CRC must be checked all the same. */
    @Test
    void aDamagedStoredEntryIsRefused() throws IOException {
        Path jar = bundle("stored.jar", "io.example.stored", "1.0.0");
        byte[] bytes = Files.readAllBytes(jar);
        int at = indexOf(bytes, "payload payload payload".getBytes(StandardCharsets.US_ASCII)); // its bytes, as stored
        bytes[at] ^= 0x01;
        Files.write(jar, bytes);
        JarCheck.Result r = JarCheck.check(jar.toFile());
        assertFalse(r.ok());
        assertEquals("its entry data/payload.txt is damaged (CRC mismatch)", r.problem());
    }

    @Test
    void somethingElseEntirelyIsRefused() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.jar"), "this is not a jar");
        assertTrue(JarCheck.check(text.toFile()).problem().startsWith("it is not a readable jar ("));
        assertTrue(JarCheck.check(dir.resolve("missing.jar").toFile()).problem().startsWith("it is not a readable jar ("));
    }

    private void assertProblem(Path jar, String problem) {
        JarCheck.Result r = JarCheck.check(jar.toFile());
        assertFalse(r.ok());
        assertEquals(problem, r.problem());
    }

    /** A bundle with a small stored entry and a large deflated one, whose bytes a test can find and damage. */
    private Path bundle(String name, String symbolicName, String version) throws IOException {
        Manifest m = manifest();
        m.getMainAttributes().putValue("Bundle-ManifestVersion", "2");
        m.getMainAttributes().putValue("Bundle-SymbolicName", symbolicName);
        if (version != null) {
            m.getMainAttributes().putValue("Bundle-Version", version);
        }
        return write(name, m);
    }

    private Path write(String name, Manifest m) throws IOException {
        Path jar = dir.resolve(name);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), m)) {
            byte[] payload = "payload payload payload".getBytes(StandardCharsets.US_ASCII);
            JarEntry e = new JarEntry("data/payload.txt");
            e.setMethod(ZipEntry.STORED);
            e.setSize(payload.length);
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            crc.update(payload);
            e.setCrc(crc.getValue());
            out.putNextEntry(e);
            write(out, payload);
            out.putNextEntry(new JarEntry("data/big.txt")); // deflated
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < 2000; i++) {
                text.append("line ").append(i * 7919 % 1000).append(" of the big entry\n");
            }
            write(out, text.toString().getBytes(StandardCharsets.US_ASCII));
        }
        return jar;
    }

    private static void write(OutputStream out, byte[] bytes) throws IOException {
        out.write(bytes);
    }

    private static Manifest manifest() {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        return m;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
