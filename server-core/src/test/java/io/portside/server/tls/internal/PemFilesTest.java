package io.portside.server.tls.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemFilesTest {

    @TempDir
    Path dir;

    private final TestPki pki = new TestPki();

    @Test
    void readsPkcs8AndTheTraditionalForms() throws IOException {
        for (TestPki.KeyForm form : TestPki.KeyForm.values()) {
            for (TestPki.Issued issued : List.of(pki.issue("CN=rsa", TestPki.rsa(), 30, "rsa.test"), pki.issue("CN=ec", TestPki.ec(), 30, "ec.test"))) {
                Path key = TestPki.writeKey(dir.resolve(form + "-" + issued.keys().getPrivate().getAlgorithm() + ".key"), issued, form);
                String header = Files.readString(key).lines().findFirst().orElseThrow();
                PrivateKey read = PemFiles.privateKey("tls.key", key);
                assertEquals(issued.keys().getPrivate().getAlgorithm(), read.getAlgorithm(), header);
                assertTrue(KeyPairCheck.matches(read, issued.certificate().getPublicKey()), header);
            }
        }
        Path chain = pki.writeChain(dir.resolve("chain.pem"), pki.issue("CN=leaf", TestPki.ec(), 30, "leaf.test"));
        List<?> certificates = PemFiles.certificates("tls.certificate", chain);
        assertEquals(2, certificates.size(), "leaf and CA");
    }

    /** The files openssl 3 writes by default and with -traditional: PKCS#8, PKCS#1, SEC1 after EC PARAMETERS, Ed25519. */
    @Test
    void readsWhatOpensslWrites() throws Exception {
        assumeTrue(openssl("version"), "openssl is installed");
        assertTrue(openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "pkcs8.key"));
        assertTrue(openssl("genrsa", "-traditional", "-out", "pkcs1.key", "2048"));
        assertTrue(openssl("ecparam", "-name", "prime256v1", "-genkey", "-out", "sec1.key"));
        assertTrue(openssl("genpkey", "-algorithm", "ed25519", "-out", "ed25519.key"));
        assertTrue(Files.readString(dir.resolve("pkcs1.key")).startsWith("-----BEGIN RSA PRIVATE KEY-----"));
        assertTrue(Files.readString(dir.resolve("sec1.key")).startsWith("-----BEGIN EC PARAMETERS-----"));
        for (String name : List.of("pkcs8.key", "pkcs1.key", "sec1.key", "ed25519.key")) {
            assertTrue(openssl("req", "-x509", "-new", "-key", name, "-subj", "/CN=" + name, "-days", "2", "-out", name + ".pem"), name);
            ServedCertificate served = ServedCertificate.load(dir.resolve(name + ".pem"), dir.resolve(name), Instant.now());
            assertEquals(List.of(name), served.names(), "the common name, with no alternative names");
        }
        assertTrue(openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-aes256", "-pass", "pass:secret",
                "-out", "encrypted.key"));
        assertProblem(TlsFileProblem.ENCRYPTED_KEY, () -> PemFiles.privateKey("tls.key", dir.resolve("encrypted.key")));
    }

    @Test
    void saysWhatIsWrong() throws IOException {
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "hello, not a certificate\n");
        assertProblem(TlsFileProblem.NO_CERTIFICATE, () -> PemFiles.certificates("tls.certificate", garbage));
        assertProblem(TlsFileProblem.NO_KEY, () -> PemFiles.privateKey("tls.key", garbage));
        Path broken = Files.writeString(dir.resolve("broken.pem"), "-----BEGIN CERTIFICATE-----\nAAAA!!!!\n-----END CERTIFICATE-----\n");
        assertProblem(TlsFileProblem.NOT_PEM, () -> PemFiles.certificates("tls.certificate", broken));
        Path truncated = Files.writeString(dir.resolve("truncated.pem"), "-----BEGIN CERTIFICATE-----\nMIIB\n");
        assertProblem(TlsFileProblem.NOT_PEM, () -> PemFiles.certificates("tls.certificate", truncated));
        TlsFileException missing = assertProblem(TlsFileProblem.MISSING, () -> PemFiles.privateKey("tls.key", dir.resolve("nope.key")));
        assertEquals("'tls.key' " + dir.resolve("nope.key") + " does not exist", missing.getMessage());
    }

    private static TlsFileException assertProblem(TlsFileProblem problem, org.junit.jupiter.api.function.Executable call) {
        TlsFileException e = assertThrows(TlsFileException.class, call);
        assertEquals(problem, e.problem(), e.getMessage());
        return e;
    }

    private boolean openssl(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("openssl.log").toFile()).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false; // not installed
        }
    }
}
