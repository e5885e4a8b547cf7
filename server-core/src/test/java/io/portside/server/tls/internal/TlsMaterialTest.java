package io.portside.server.tls.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.portside.server.internal.HostClock;

/** Real JDK handshakes (in memory) against the engines a listener's material makes. */
class TlsMaterialTest {

    private static final AtomicInteger NAMES = new AtomicInteger();
    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 40000);

    @TempDir
    Path home;

    private final TestPki pki = new TestPki();
    private final String listener = "tls-test-" + NAMES.incrementAndGet();

    private TlsSettings settings(int pairs, String auth, List<String> alpn) {
        List<String> certs = new java.util.ArrayList<>();
        List<String> keys = new java.util.ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            certs.add("tls/cert" + i + ".pem");
            keys.add("tls/key" + i + ".pem");
        }
        return TlsSettings.of(certs, keys, auth, auth == null ? null : "tls/ca.pem", List.of(), List.of(), alpn, home);
    }

    private void writePair(int index, TestPki.Issued issued, TestPki.KeyForm form) throws IOException {
        Files.createDirectories(home.resolve("tls"));
        pki.writeChain(home.resolve("tls/cert" + index + ".pem"), issued);
        TestPki.writeKey(home.resolve("tls/key" + index + ".pem"), issued, form);
    }

    private X509Certificate handshake(TlsMaterial material, String sni) throws Exception {
        SSLEngine client = Handshakes.client(pki.ca.certificate(), null, sni);
        Handshakes.run(client, material.newEngine(PEER));
        return Handshakes.served(client);
    }

    @Test
    void sniPicksTheCertificateAndTheFirstIsTheDefault() throws Exception {
        TestPki.Issued main = pki.issue("CN=main", TestPki.rsa(), 90, "main.test");
        TestPki.Issued other = pki.issue("CN=other", TestPki.ec(), 90, "other.test", "*.wild.test");
        writePair(0, main, TestPki.KeyForm.TRADITIONAL);
        writePair(1, other, TestPki.KeyForm.PKCS8);
        try (TlsMaterial material = TlsMaterial.open(listener, settings(2, null, List.of()))) {
            assertEquals(other.certificate(), handshake(material, "other.test"));
            assertEquals(other.certificate(), handshake(material, "a.wild.test"), "a wildcard name");
            assertEquals(main.certificate(), handshake(material, "main.test"));
            assertEquals(main.certificate(), handshake(material, null), "no SNI: the default");
            assertEquals(main.certificate(), handshake(material, "unknown.test"), "a name no certificate has: the default");
            assertEquals(main.certificate(), handshake(material, "b.a.wild.test"), "a wildcard is one label");
        }
    }

    /** TLS 1.2 asks the key manager by the cipher suite's key type: an RSA default and an EC certificate by name both work. */
    @Test
    void sniPicksTheCertificateUnderTls12Too() throws Exception {
        TestPki.Issued main = pki.issue("CN=main", TestPki.rsa(), 90, "main.test");
        TestPki.Issued other = pki.issue("CN=other", TestPki.ec(), 90, "other.test");
        writePair(0, main, TestPki.KeyForm.PKCS8);
        writePair(1, other, TestPki.KeyForm.TRADITIONAL);
        TlsSettings tls12 = TlsSettings.of(List.of("tls/cert0.pem", "tls/cert1.pem"), List.of("tls/key0.pem", "tls/key1.pem"), null,
                null, List.of("TLSv1.2"), List.of(), List.of(), home);
        try (TlsMaterial material = TlsMaterial.open(listener, tls12)) {
            for (String sni : new String[] {"other.test", null}) {
                SSLEngine client = Handshakes.client(pki.ca.certificate(), null, sni);
                Handshakes.run(client, material.newEngine(PEER));
                assertEquals("TLSv1.2", client.getSession().getProtocol());
                assertEquals(sni == null ? main.certificate() : other.certificate(), Handshakes.served(client), String.valueOf(sni));
            }
        }
    }

    @Test
    void offersAlpn() throws Exception {
        writePair(0, pki.issue("CN=main", TestPki.ec(), 90, "main.test"), TestPki.KeyForm.TRADITIONAL);
        try (TlsMaterial material = TlsMaterial.open(listener, settings(1, null, List.of("h2", "http/1.1")))) {
            SSLEngine client = Handshakes.client(pki.ca.certificate(), null, "main.test", "http/1.1", "h2");
            SSLEngine server = material.newEngine(PEER);
            Handshakes.run(client, server);
            assertEquals("h2", client.getApplicationProtocol(), "the server's preference among the client's");
            assertEquals("TLSv1.3", client.getSession().getProtocol());
        }
    }

    @Test
    void requiredClientAuthRefusesAClientWithoutACertificate() throws Exception {
        writePair(0, pki.issue("CN=main", TestPki.ec(), 90, "main.test"), TestPki.KeyForm.PKCS8);
        pki.writeCa(home.resolve("tls/ca.pem"));
        TestPki.Issued alice = pki.issue("CN=alice", TestPki.ec(), 30);
        try (TlsMaterial material = TlsMaterial.open(listener, settings(1, "required", List.of()))) {
            SSLEngine server = material.newEngine(PEER);
            Handshakes.run(Handshakes.client(pki.ca.certificate(), alice, "main.test"), server);
            assertEquals("CN=alice", ((X509Certificate) server.getSession().getPeerCertificates()[0])
                    .getSubjectX500Principal().getName());

            assertThrows(SSLException.class, () -> Handshakes.run(Handshakes.client(pki.ca.certificate(), null, "main.test"),
                    material.newEngine(PEER)), "no certificate");
            TestPki stranger = new TestPki();
            TestPki.Issued mallory = stranger.issue("CN=mallory", TestPki.ec(), 30);
            assertThrows(SSLException.class, () -> Handshakes.run(Handshakes.client(pki.ca.certificate(), mallory, "main.test"),
                    material.newEngine(PEER)), "a certificate from an unknown CA");
        }
    }

    @Test
    void optionalClientAuthAdmitsAClientWithoutACertificate() throws Exception {
        writePair(0, pki.issue("CN=main", TestPki.ec(), 90, "main.test"), TestPki.KeyForm.PKCS8);
        pki.writeCa(home.resolve("tls/ca.pem"));
        try (TlsMaterial material = TlsMaterial.open(listener, settings(1, "optional", List.of()))) {
            SSLEngine server = material.newEngine(PEER);
            Handshakes.run(Handshakes.client(pki.ca.certificate(), null, "main.test"), server);
            assertThrows(javax.net.ssl.SSLPeerUnverifiedException.class, () -> server.getSession().getPeerCertificates());
        }
    }

    @Test
    void aBadFileAtStartFailsTheListenerNamingIt() throws Exception {
        TestPki.Issued main = pki.issue("CN=main", TestPki.rsa(), 90, "main.test");
        writePair(0, main, TestPki.KeyForm.PKCS8);
        TestPki.writeKey(home.resolve("tls/key0.pem"), pki.issue("CN=x", TestPki.rsa(), 90), TestPki.KeyForm.PKCS8);
        TlsFileException e = assertThrows(TlsFileException.class, () -> TlsMaterial.open(listener, settings(1, null, List.of())));
        assertEquals(TlsFileProblem.KEY_MISMATCH, e.problem());
        assertTrue(e.getMessage().startsWith("'tls.key' " + home.resolve("tls/key0.pem") + " does not match its certificate"), e.getMessage());

        Instant past = Instant.now().minus(Duration.ofDays(10));
        writePair(0, pki.issue("CN=old", TestPki.ec(), past.minus(Duration.ofDays(90)), past, "main.test"), TestPki.KeyForm.PKCS8);
        e = assertThrows(TlsFileException.class, () -> TlsMaterial.open(listener, settings(1, null, List.of())));
        assertEquals(TlsFileProblem.EXPIRED, e.problem(), e.getMessage());

        writePair(0, main, TestPki.KeyForm.PKCS8);
        IllegalArgumentException cipher = assertThrows(IllegalArgumentException.class, () -> TlsMaterial.open(listener,
                TlsSettings.of(List.of("tls/cert0.pem"), List.of("tls/key0.pem"), null, null, List.of(), List.of("TLS_NOPE"), List.of(), home)));
        assertTrue(cipher.getMessage().startsWith("'tls.ciphers'"), cipher.getMessage());
    }

    @Test
    void aCertificateCloseToExpiryIsWarnedAboutOnce() throws Exception {
        writePair(0, pki.issue("CN=soon", TestPki.ec(), 11, "main.test"), TestPki.KeyForm.PKCS8);
        try (HostLog log = new HostLog(listener); TlsMaterial material = TlsMaterial.open(listener, settings(1, null, List.of()))) {
            assertEquals(1, log.warnings().size(), log.all().toString());
            assertTrue(log.warnings().get(0).contains("expires in 9 day(s)"), log.warnings().get(0));
            material.checkFiles();
            assertEquals(1, log.warnings().size(), "not again while the file stays");
        }
    }

    @Test
    void aCertificateThatComesCloseToExpiryWhileServedIsWarnedAboutOnce() throws Exception {
        writePair(0, pki.issue("CN=later", TestPki.ec(), 61, "main.test"), TestPki.KeyForm.PKCS8);
        try (HostLog log = new HostLog(listener); TlsMaterial material = TlsMaterial.open(listener, settings(1, null, List.of()), new HostClock())) {
            assertEquals(List.of(), log.warnings());
            material.checkFiles(Instant.now().plus(Duration.ofDays(35)));
            material.checkFiles(Instant.now().plus(Duration.ofDays(36)));
            assertEquals(1, log.warnings().size(), log.all().toString());
            assertTrue(log.warnings().get(0).contains("expires in 24 day(s)"), log.warnings().get(0));
        }
    }

    /** Copy, then rename: new handshakes get the new certificate within about two seconds, on the shared clock. */
    @Test
    void aReplacedCertificateServesNewHandshakesWithoutARestart() throws Exception {
        TestPki.Issued first = pki.issue("CN=first", TestPki.ec(), 90, "main.test");
        writePair(0, first, TestPki.KeyForm.PKCS8);
        try (HostLog log = new HostLog(listener); TlsMaterial material = TlsMaterial.open(listener, settings(1, null, List.of()))) {
            SSLEngine open = material.newEngine(PEER); // an engine made before the change keeps the first certificate
            TestPki.Issued second = pki.issue("CN=second", TestPki.rsa(), 90, "main.test");
            TestPki.writeKey(home.resolve("new.key"), second, TestPki.KeyForm.TRADITIONAL);
            pki.writeChain(home.resolve("new.pem"), second);
            TestPki.replace(home.resolve("tls/key0.pem"), home.resolve("new.key"));
            TestPki.replace(home.resolve("tls/cert0.pem"), home.resolve("new.pem"));
            long deadline = System.nanoTime() + Duration.ofMillis(2500).toNanos();
            while (!handshake(material, "main.test").equals(second.certificate())) {
                assertTrue(System.nanoTime() < deadline, "reloaded within 2.5 s");
                Thread.sleep(50);
            }
            SSLEngine client = Handshakes.client(pki.ca.certificate(), null, "main.test");
            Handshakes.run(client, open);
            assertEquals(first.certificate(), Handshakes.served(client), "an engine already made is untouched");
            assertEquals(List.of(), log.warnings(), "the moment between the two renames is not reported");
            assertTrue(log.all().stream().anyMatch(l -> l.contains("reloaded TLS certificates") && l.contains("CN=second")), log.all().toString());
        }
    }

    /** Garbage, a key of another certificate, an expired certificate: each keeps the last good one and is told once. */
    @Test
    void aBadReloadKeepsTheLastGoodCertificateAndLogsOneLine() throws Exception {
        TestPki.Issued good = pki.issue("CN=good", TestPki.ec(), 90, "main.test");
        writePair(0, good, TestPki.KeyForm.PKCS8);
        Path cert = home.resolve("tls/cert0.pem");
        Path key = home.resolve("tls/key0.pem");
        try (HostLog log = new HostLog(listener); TlsMaterial material = TlsMaterial.open(listener, settings(1, null, List.of()), new HostClock())) {
            Files.writeString(home.resolve("garbage"), "-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----\n");
            TestPki.replace(cert, home.resolve("garbage"));
            assertReported(material, log, 1, cert + " is not valid PEM");
            assertEquals(good.certificate(), handshake(material, "main.test"));

            TestPki.writeKey(home.resolve("other.key"), pki.issue("CN=other", TestPki.ec(), 90), TestPki.KeyForm.PKCS8);
            pki.writeChain(home.resolve("good.pem"), good);
            TestPki.replace(cert, home.resolve("good.pem"));
            TestPki.replace(key, home.resolve("other.key"));
            assertReported(material, log, 2, key + " does not match its certificate");
            assertEquals(good.certificate(), handshake(material, "main.test"));

            Instant past = Instant.now().minus(Duration.ofDays(1));
            TestPki.Issued expired = pki.issue("CN=expired", TestPki.ec(), past.minus(Duration.ofDays(30)), past, "main.test");
            pki.writeChain(home.resolve("expired.pem"), expired);
            TestPki.writeKey(home.resolve("expired.key"), expired, TestPki.KeyForm.PKCS8);
            TestPki.replace(key, home.resolve("expired.key"));
            TestPki.replace(cert, home.resolve("expired.pem"));
            assertReported(material, log, 3, cert + " holds a certificate that has expired: CN=expired expired");
            assertEquals(good.certificate(), handshake(material, "main.test"));

            Files.delete(key);
            assertReported(material, log, 4, key + " does not exist");
            assertEquals(good.certificate(), handshake(material, "main.test"));
        }
    }

    /** Two checks (the report waits one check for a second rename), then more: exactly one new line, naming the file. */
    private static void assertReported(TlsMaterial material, HostLog log, int lines, String what) {
        for (int i = 0; i < 4; i++) {
            material.checkFiles();
        }
        List<String> warnings = log.warnings();
        assertEquals(lines, warnings.size(), warnings.toString());
        String line = warnings.get(lines - 1);
        assertTrue(line.contains("kept the TLS certificates loaded") && line.contains(what), line);
    }
}
