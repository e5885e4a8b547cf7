package io.portside.launcher;

import static io.portside.launcher.HostHarness.freePort;
import static io.portside.launcher.HostHarness.sampleBundle;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import io.portside.launcher.TestCertificates.KeyForm;
import io.portside.launcher.TestCertificates.Pair;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS on a real host against real clients (Python's {@code ssl}, the JDK's {@code SSLSocket}), with certificates the
 * test makes with {@code openssl}: echo over TLS on TCP and Unix with each key form, SNI, client certificates, a reload
 * under load with no failed request, a bad reload that keeps the certificate serving, a plaintext client, and silent
 * clients that must not delay another's handshake.
 */
class TlsIT {

    private static final Duration SOON = Duration.ofSeconds(15);

    @TempDir
    Path home;
    HostHarness host;
    TestCertificates certs;
    int port;
    int other;

    @BeforeEach
    void boot() throws Exception {
        TestCertificates.assumeOpenssl();
        SeedClients.assumePython();
        certs = TestCertificates.ca(home.resolve("certs"), "test-ca");
        host = HostHarness.start(home, Map.of());
        host.writeNewConfig("io.portside.sample.echo.stream.cfg", "portside.endpoint=tcp://127.0.0.1:" + freePort() + "\n");
        host.writeNewConfig("io.portside.sample.echo.datagram.cfg", "portside.endpoint=udp://127.0.0.1:" + freePort() + "\n");
        port = freePort();
        other = freePort();
        host.writeConfig("io.portside.listener-other.cfg", "endpoint=tcp://127.0.0.1:" + other + "\nhandler=echo\n");
        host.deploy(sampleBundle("echo"), "echo.jar");
        host.awaitBound("other", "tcp://127.0.0.1:" + other, SOON);
    }

    @AfterEach
    void stop() {
        if (host != null) {
            host.close();
        }
    }

    private void tlsListener(String name, String endpoint, String extra) throws Exception {
        host.writeConfig("io.portside.listener-" + name + ".cfg", "endpoint=" + endpoint + "\nhandler=echo\n" + extra);
        host.awaitListener(name, RuntimeListener::bound, SOON);
    }

    private static String rel(Path home, Path p) {
        return home.relativize(p).toString(); // relative paths resolve against the home
    }

    private Reply python(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("python3", script().toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the client ended");
        assertEquals(0, p.exitValue(), "client failed: " + err + out);
        return new Reply(JsonReader.parse(out.strip()));
    }

    private static Path script() throws IOException {
        Path file = Files.createTempFile("tls_client", ".py");
        try (InputStream in = TlsIT.class.getResourceAsStream("/tls/tls_client.py")) {
            Files.write(file, in.readAllBytes());
        }
        file.toFile().deleteOnExit();
        return file;
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void echoOverTlsOnTcpAndUnixWithEachKeyForm() throws Exception {
        Pair rsa = certs.server("rsa", KeyForm.PKCS1_RSA, 90, "localhost", "127.0.0.1");
        Pair sec1 = certs.server("sec1", KeyForm.SEC1_EC, 90, "localhost");
        tlsListener("tls", "tcp://127.0.0.1:" + port, "tls.certificate=" + rel(home, rsa.certificate()) + "\ntls.key=" + rel(home, rsa.key()) + "\n");
        Path sock = home.resolve("tls.sock");
        tlsListener("tls-unix", "unix:" + sock, "tls.certificate=" + sec1.certificate() + "\ntls.key=" + sec1.key() + "\n");

        Reply tcp = python("exchange", "--port", String.valueOf(port), "--ca", certs.ca.certificate().toString());
        assertEquals(true, tcp.get("ok"), tcp.toString());
        assertEquals("HELLO TLS", tcp.get("reply"));
        assertEquals("TLSv1.3", tcp.get("version"));
        Reply unix = python("exchange", "--unix", sock.toString(), "--ca", certs.ca.certificate().toString(), "--line", "over unix");
        assertEquals("OVER UNIX", unix.get("reply"), unix.toString());
        Process sClient = new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-CAfile", certs.ca.certificate().toString(),
                "-servername", "localhost", "-verify_return_error", "-quiet").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        sClient.getOutputStream().write("hello openssl\n".getBytes(StandardCharsets.US_ASCII));
        sClient.getOutputStream().flush();
        String sOut = HostHarness.readLine(sClient.getInputStream());
        sClient.destroy();
        assertEquals("HELLO OPENSSL", sOut, "openssl s_client, verifying the chain");
        Reply tls12 = python("exchange", "--port", String.valueOf(port), "--ca", certs.ca.certificate().toString(), "--max-version", "TLSv1_2");
        assertEquals("TLSv1.2", tls12.get("version"), tls12.toString());

        Pair pkcs8 = certs.server("pkcs8", KeyForm.PKCS8_EC, 90, "localhost");
        tlsListener("tls", "tcp://127.0.0.1:" + port, "tls.certificate=" + pkcs8.certificate() + "\ntls.key=" + pkcs8.key() + "\n");
        HostHarness.await(() -> {
            try {
                return fingerprintOf(pkcs8.certificate()).equals(python("exchange", "--port", String.valueOf(port), "--ca",
                        certs.ca.certificate().toString()).get("fingerprint"));
            } catch (Exception e) {
                return false;
            }
        }, SOON, "the PKCS#8 key's certificate after a .cfg change");
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void sniPicksTheCertificateByNameAndNoNameGetsTheFirst() throws Exception {
        Pair first = certs.server("first", KeyForm.PKCS8_EC, 90, "localhost");
        Pair second = certs.server("second", KeyForm.PKCS8_EC, 90, "other.example", "*.wild.example");
        tlsListener("tls", "tcp://127.0.0.1:" + port, "tls.certificate=" + first.certificate() + ", " + second.certificate()
                + "\ntls.key=" + first.key() + ", " + second.key() + "\n");
        String ca = certs.ca.certificate().toString();
        assertEquals(fingerprintOf(second.certificate()), python("exchange", "--port", "" + port, "--ca", ca, "--sni", "other.example").get("fingerprint"));
        assertEquals(fingerprintOf(second.certificate()), python("exchange", "--port", "" + port, "--ca", ca, "--sni", "a.wild.example").get("fingerprint"));
        assertEquals(fingerprintOf(first.certificate()), python("exchange", "--port", "" + port, "--ca", ca, "--sni", "localhost").get("fingerprint"));
        assertEquals(fingerprintOf(first.certificate()), python("exchange", "--port", "" + port, "--ca", ca, "--sni", "unknown.example").get("fingerprint"));
        assertEquals(fingerprintOf(first.certificate()), python("exchange", "--port", "" + port, "--ca", ca).get("fingerprint"), "no SNI");
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void clientCertificatesRequiredAndOptional() throws Exception {
        Pair server = certs.server("server", KeyForm.PKCS8_EC, 90, "localhost");
        Pair client = certs.client("client", "alice");
        TestCertificates otherCa = TestCertificates.ca(home.resolve("other-ca"), "other-ca");
        Pair stranger = otherCa.client("stranger", "mallory");
        String base = "tls.certificate=" + server.certificate() + "\ntls.key=" + server.key() + "\ntls.client.ca=" + certs.ca.certificate() + "\n";
        String ca = certs.ca.certificate().toString();

        tlsListener("tls", "tcp://127.0.0.1:" + port, base + "tls.client.auth=required\n");
        assertEquals("HELLO TLS", python("exchange", "--port", "" + port, "--ca", ca, "--cert", client.certificate().toString(), "--key",
                client.key().toString()).get("reply"));
        Reply without = python("exchange", "--port", "" + port, "--ca", ca);
        assertFalse(Boolean.TRUE.equals(without.get("ok")) && "HELLO TLS".equals(without.get("reply")), "no certificate, no service: " + without);
        Reply wrongCa = python("exchange", "--port", "" + port, "--ca", ca, "--cert", stranger.certificate().toString(), "--key",
                stranger.key().toString());
        assertFalse(Boolean.TRUE.equals(wrongCa.get("ok")) && "HELLO TLS".equals(wrongCa.get("reply")), "a stranger's CA: " + wrongCa);
        host.awaitListener("tls", l -> l.tlsFailures() >= 2, SOON);

        tlsListener("tls", "tcp://127.0.0.1:" + port, base + "tls.client.auth=optional\n");
        HostHarness.await(() -> {
            try {
                return "HELLO TLS".equals(python("exchange", "--port", "" + port, "--ca", ca).get("reply"));
            } catch (Exception e) {
                return false;
            }
        }, SOON, "optional: a client without a certificate is served");
        assertEquals("HELLO TLS", python("exchange", "--port", "" + port, "--ca", ca, "--cert", client.certificate().toString(), "--key",
                client.key().toString()).get("reply"));
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aPolicyAdmitsClientsByTheirVerifiedCertificate() throws Exception {
        Pair server = certs.server("server", KeyForm.PKCS8_EC, 90, "localhost");
        Pair billing = certs.client("billing", "billing", "URI:spiffe://acme/ns/prod/sa/billing");
        Pair bob = certs.client("bob", "bob");
        String ca = certs.ca.certificate().toString();
        host.deploy(sampleBundle("policy-client-certificate"), "policy-client-certificate.jar");
        host.writeConfig("io.portside.policy.clientcertificate-partners.cfg",
                "portside.policy=partners\nallow.names=spiffe://acme/ns/prod/sa/billing\n");
        tlsListener("tls", "tcp://127.0.0.1:" + port, "tls.certificate=" + server.certificate() + "\ntls.key=" + server.key()
                + "\ntls.client.ca=" + ca + "\ntls.client.auth=optional\npolicy.required=partners\n");
        int plain = freePort();
        host.writeConfig("io.portside.listener-plain.cfg", "endpoint=tcp://127.0.0.1:" + plain + "\nhandler=echo\npolicy.required=partners\n");
        host.awaitBound("plain", "tcp://127.0.0.1:" + plain, SOON);

        String[] asBilling = {"exchange", "--port", "" + port, "--ca", ca, "--cert", billing.certificate().toString(), "--key",
                billing.key().toString()};
        HostHarness.await(() -> {
            try {
                return "HELLO TLS".equals(python(asBilling).get("reply"));
            } catch (Exception e) {
                return false;
            }
        }, SOON, "the certificate the policy allows is served (once the policy is registered)");

        Reply asBob = python("exchange", "--port", "" + port, "--ca", ca, "--cert", bob.certificate().toString(), "--key",
                bob.key().toString());
        assertFalse("HELLO TLS".equals(asBob.get("reply")), "another certificate from the same CA is not served: " + asBob);
        host.awaitLog("Listener tls: rejected /127\\.0\\.0\\.1:\\d+: partners: client certificate CN=bob \\[bob\\] is not allowed", SOON);
        Reply anonymous = python("exchange", "--port", "" + port, "--ca", ca);
        assertFalse("HELLO TLS".equals(anonymous.get("reply")), "no certificate, no service: " + anonymous);
        host.awaitLog("Listener tls: rejected /127\\.0\\.0\\.1:\\d+: partners: the client sent no certificate", SOON);

        try (Socket s = new Socket("127.0.0.1", plain)) { // fail closed: a plaintext listener has no certificate to judge
            s.setSoTimeout(10_000);
            s.getOutputStream().write("hello\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals(-1, s.getInputStream().read(), "closed unanswered");
        }
        host.awaitLog("Listener plain: rejected /127\\.0\\.0\\.1:\\d+: partners: the listener does not serve TLS", SOON);
        assertEquals("HELLO TLS", python(asBilling).get("reply"), "still served after the rejections");
        assertEquals(0, host.listener("tls").tlsFailures(), "rejections by a policy are not TLS failures");
        HostHarness.awaitAnswer(other, "others", "OTHERS", SOON);
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void aReloadUnderLoadFailsNoRequestAndABadOneKeepsTheCertificate() throws Exception {
        Pair v1 = certs.server("v1", KeyForm.PKCS8_EC, 90, "localhost");
        Pair v2 = certs.server("v2", KeyForm.PKCS8_EC, 90, "localhost");
        Path cert = Files.createDirectories(home.resolve("live")).resolve("server.pem");
        Path key = home.resolve("live/server.key");
        Files.copy(v1.certificate(), cert);
        Files.copy(v1.key(), key);
        tlsListener("tls", "tcp://127.0.0.1:" + port, "tls.certificate=live/server.pem\ntls.key=live/server.key\n");
        String ca = certs.ca.certificate().toString();

        Process load = new ProcessBuilder("python3", script().toString(), "load", "--port", "" + port, "--ca", ca, "--seconds", "8").start();
        Thread.sleep(2000);
        double swapped = System.currentTimeMillis() / 1000.0;
        replace(v2.key(), key); // the key first: for a moment the pair does not match, and the old one must keep serving
        replace(v2.certificate(), cert);
        String out = new String(load.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(load.waitFor(60, TimeUnit.SECONDS));
        Reply r = new Reply(JsonReader.parse(out.strip()));
        List<?> seen = (List<?>) r.get("certificates");
        System.out.printf("TLS reload under load: %s requests, %s failed; certificates served: %s%n", r.get("ok"), r.get("failed"), seen);
        assertEquals(0L, r.get("failed"), "no request failed during the reload: " + r);
        assertTrue((Long) r.get("ok") > 20, "the load ran: " + r);
        Reply last = new Reply(seen.get(seen.size() - 1));
        assertEquals(fingerprintOf(v2.certificate()), last.get("fingerprint"), "new handshakes get the new certificate: " + seen);
        double switchedAfter = ((Number) last.get("at")).doubleValue() - swapped;
        System.out.printf("TLS reload: new certificate served %.2f s after the rename%n", switchedAfter);
        assertTrue(switchedAfter < 3.0, "switched " + switchedAfter + " s after the files were replaced");

        Files.writeString(home.resolve("live/.bad"), "-----BEGIN CERTIFICATE-----\nnot a certificate\n-----END CERTIFICATE-----\n");
        Files.move(home.resolve("live/.bad"), cert, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        host.awaitLog("server\\.pem", SOON);
        Thread.sleep(1500);
        assertEquals(fingerprintOf(v2.certificate()), python("exchange", "--port", "" + port, "--ca", ca).get("fingerprint"),
                "a bad file keeps the last good certificate serving");
    }

    private static void replace(Path from, Path target) throws IOException {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        Files.copy(from, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aPlaintextClientIsClosedCountedAndOthersAreServed() throws Exception {
        Pair server = certs.server("server", KeyForm.PKCS8_EC, 90, "localhost");
        tlsListener("tls", "tcp://127.0.0.1:" + port, "tls.certificate=" + server.certificate() + "\ntls.key=" + server.key() + "\n");
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            s.setSoTimeout(15_000);
            s.getOutputStream().write("hello in the clear\n".getBytes(StandardCharsets.US_ASCII));
            byte[] b = new byte[256];
            int n;
            try {
                n = s.getInputStream().read(b);
                while (n > 0) {
                    assertFalse(new String(b, 0, n, StandardCharsets.ISO_8859_1).contains("HELLO IN THE CLEAR"), "no plaintext answer");
                    n = s.getInputStream().read(b);
                }
            } catch (java.net.SocketException reset) {
                // closed with a reset: as good as EOF here
            }
        }
        host.awaitListener("tls", l -> l.tlsFailures() == 1, SOON);
        host.awaitLog("Listener tls: closed the connection from /127\\.0\\.0\\.1:\\d+: TLS handshake failed", SOON);
        assertEquals("HELLO TLS", python("exchange", "--port", "" + port, "--ca", certs.ca.certificate().toString()).get("reply"));
        assertEquals("PING", HostHarness.exchange(other, "ping"));
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void silentClientsDoNotDelayAnotherClientsHandshake() throws Exception {
        Pair server = certs.server("server", KeyForm.PKCS8_EC, 90, "localhost");
        tlsListener("tls", "tcp://127.0.0.1:" + port, "tls.certificate=" + server.certificate() + "\ntls.key=" + server.key() + "\n");
        SSLContext client = trusting(certs.ca.certificate());
        long quiet = slowestHandshake(client, 10);
        List<Socket> silent = new ArrayList<>();
        try {
            for (int i = 0; i < 500; i++) {
                Socket s = new Socket();
                s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                silent.add(s);
            }
            long busy = slowestHandshake(client, 10);
            System.out.printf("TLS handshakes: slowest %d ms alone, %d ms beside 500 silent clients%n", quiet / 1_000_000, busy / 1_000_000);
            assertTrue(busy - quiet < TimeUnit.MILLISECONDS.toNanos(100), "500 silent clients delayed a handshake by "
                    + (busy - quiet) / 1_000_000 + " ms");
        } finally {
            for (Socket s : silent) {
                s.close();
            }
        }
    }

    private long slowestHandshake(SSLContext context, int times) throws IOException {
        long slowest = 0;
        for (int i = 0; i < times; i++) {
            long start = System.nanoTime();
            try (SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
                s.setSoTimeout(5000);
                s.startHandshake();
                s.getOutputStream().write("x\n".getBytes(StandardCharsets.US_ASCII));
                assertEquals('X', s.getInputStream().read());
            }
            slowest = Math.max(slowest, System.nanoTime() - start);
        }
        return slowest;
    }

    private static SSLContext trusting(Path caPem) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(caPem)) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(null, tmf.getTrustManagers(), null);
        return c;
    }

    /** One JSON object the Python client printed. */
    record Reply(Object json) {
        Object get(String key) {
            return ((Map<?, ?>) json).get(key);
        }

        @Override
        public String toString() {
            return String.valueOf(json);
        }
    }

    private static String fingerprintOf(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            X509Certificate c = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(c.getEncoded()));
        }
    }
}
