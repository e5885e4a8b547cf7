package io.portside.policy.clientcertificate;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Self-signed certificates made by the JDK's own {@code keytool}, for the rules' unit tests: nothing committed. */
final class KeytoolCertificates {

    private KeytoolCertificates() {
    }

    /** A certificate with subject {@code dn} and, when given, {@code san} as keytool writes it ({@code dns:a,uri:b}). */
    static X509Certificate make(Path dir, String dn, String san) throws IOException, GeneralSecurityException, InterruptedException {
        Path store = Files.createTempFile(dir, "client", ".p12");
        Files.delete(store);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", "changeit", "-alias", "c",
                "-keyalg", "EC", "-groupname", "secp256r1", "-dname", dn, "-validity", "2"));
        if (san != null) {
            command.addAll(List.of("-ext", "san=" + san));
        }
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool failed: " + out);
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, "changeit".toCharArray());
        }
        return (X509Certificate) ks.getCertificate("c");
    }
}
