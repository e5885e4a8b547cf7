package io.portside.launcher;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificates made for one test by the {@code openssl} command: a CA, server certificates for given names signed by
 * it, client certificates. Nothing is committed: every key is generated in the test's folder. Tests skip, and say so,
 * where {@code openssl} is not installed ({@code .ci/run} installs it).
 */
final class TestCertificates {

    /** The forms a private key takes in PEM, as openssl writes them. */
    enum KeyForm {
        /** {@code BEGIN PRIVATE KEY}: openssl's default for new keys. */
        PKCS8_EC,
        /** {@code BEGIN EC PRIVATE KEY}. */
        SEC1_EC,
        /** {@code BEGIN RSA PRIVATE KEY}. */
        PKCS1_RSA
    }

    /** A certificate and its key, as files. */
    record Pair(Path certificate, Path key) {
    }

    private final Path dir;
    final Pair ca;

    private TestCertificates(Path dir, Pair ca) {
        this.dir = dir;
        this.ca = ca;
    }

    static void assumeOpenssl() {
        boolean ok;
        try {
            ok = new ProcessBuilder("openssl", "version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            ok = false;
        }
        assumeTrue(ok, "openssl is not installed: the TLS tests that need certificates are skipped");
    }

    /** A new CA in {@code dir}. */
    static TestCertificates ca(Path dir, String name) throws IOException {
        Files.createDirectories(dir);
        Path key = dir.resolve(name + ".key");
        Path cert = dir.resolve(name + ".pem");
        run(dir, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key.toString(),
                "-out", cert.toString(), "-days", "365", "-subj", "/CN=" + name);
        return new TestCertificates(dir, new Pair(cert, key));
    }

    /** A server certificate for {@code names} (DNS names, or IP addresses), signed by this CA, valid {@code days}. */
    Pair server(String file, KeyForm form, int days, String... names) throws IOException {
        return leaf(file, form, days, "serverAuth", names);
    }

    /**
     * A client certificate with subject CN={@code cn}, signed by this CA, with subject alternative names as openssl
     * writes them ({@code URI:spiffe://acme/billing}, {@code email:ops@acme.test}).
     */
    Pair client(String file, String cn, String... alternativeNames) throws IOException {
        return leaf(file, KeyForm.PKCS8_EC, 90, "clientAuth", alternativeNames, cn);
    }

    private Pair leaf(String file, KeyForm form, int days, String usage, String[] names) throws IOException {
        return leaf(file, form, days, usage, names, names.length > 0 ? names[0] : file);
    }

    private Pair leaf(String file, KeyForm form, int days, String usage, String[] names, String cn) throws IOException {
        Path key = dir.resolve(file + ".key");
        Path csr = dir.resolve(file + ".csr");
        Path cert = dir.resolve(file + ".pem");
        Path ext = dir.resolve(file + ".ext");
        switch (form) {
            case PKCS8_EC -> run(dir, "openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", key.toString());
            case SEC1_EC -> run(dir, "openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", key.toString());
            case PKCS1_RSA -> run(dir, "openssl", "genrsa", "-traditional", "-out", key.toString(), "2048");
        }
        run(dir, "openssl", "req", "-new", "-key", key.toString(), "-out", csr.toString(), "-subj", "/CN=" + cn);
        List<String> sans = new ArrayList<>();
        for (String n : names) {
            if (n.matches("(URI|email|DNS|IP):.*")) {
                sans.add(n);
            } else {
                sans.add((n.matches("[0-9.]+") || n.contains(":") ? "IP:" : "DNS:") + n);
            }
        }
        Files.writeString(ext, (sans.isEmpty() ? "" : "subjectAltName=" + String.join(",", sans) + "\n") + "extendedKeyUsage=" + usage + "\n",
                StandardCharsets.US_ASCII);
        run(dir, "openssl", "x509", "-req", "-in", csr.toString(), "-CA", ca.certificate().toString(), "-CAkey", ca.key().toString(),
                "-CAcreateserial", "-out", cert.toString(), "-days", String.valueOf(days), "-extfile", ext.toString());
        return new Pair(cert, key);
    }

    private static void run(Path dir, String... command) throws IOException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed:\n" + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
