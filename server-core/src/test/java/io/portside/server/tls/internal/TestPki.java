package io.portside.server.tls.internal;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/** Test certificates made on the spot with Bouncy Castle (no private key is ever committed), written as PEM files. */
final class TestPki {

    enum KeyForm { PKCS8, TRADITIONAL } // TRADITIONAL: PKCS#1 for RSA, SEC1 for EC, as openssl writes by default

    /** A key pair and its certificate. */
    record Issued(KeyPair keys, X509Certificate certificate) {
    }

    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    final Issued ca;

    TestPki() {
        this.ca = selfSignedCa("CN=Portside Test CA");
    }

    static KeyPair rsa() {
        return generate("RSA", null);
    }

    static KeyPair ec() {
        return generate("EC", new ECGenParameterSpec("secp256r1"));
    }

    private static KeyPair generate(String algorithm, ECGenParameterSpec spec) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            if (spec != null) {
                generator.initialize(spec);
            } else {
                generator.initialize(2048);
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    private static Issued selfSignedCa(String subject) {
        KeyPair keys = ec();
        return new Issued(keys, build(subject, keys, subject, keys, Instant.now().minus(Duration.ofDays(1)),
                Instant.now().plus(Duration.ofDays(365)), true, new String[0]));
    }

    /** A certificate signed by this CA, valid from yesterday for {@code days} days, for the DNS names given. */
    Issued issue(String subject, KeyPair keys, int days, String... dnsNames) {
        Instant from = Instant.now().minus(Duration.ofDays(1));
        return issue(subject, keys, from, from.plus(Duration.ofDays(days)), dnsNames);
    }

    Issued issue(String subject, KeyPair keys, Instant notBefore, Instant notAfter, String... dnsNames) {
        return new Issued(keys, build(subject, keys, "CN=Portside Test CA", ca.keys(), notBefore, notAfter, false, dnsNames));
    }

    private static X509Certificate build(String subject, KeyPair keys, String issuer, KeyPair issuerKeys, Instant notBefore,
            Instant notAfter, boolean isCa, String[] dnsNames) {
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name(issuer),
                    BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(notBefore), Date.from(notAfter), new X500Name(subject),
                    keys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
            if (dnsNames.length > 0) {
                GeneralName[] names = new GeneralName[dnsNames.length];
                for (int i = 0; i < names.length; i++) {
                    names[i] = new GeneralName(GeneralName.dNSName, dnsNames[i]);
                }
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            }
            String signature = issuerKeys.getPrivate().getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder(signature).build(issuerKeys.getPrivate())));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Writes the certificate followed by the CA (a chain, leaf first). */
    Path writeChain(Path file, Issued issued) throws IOException {
        return write(file, issued.certificate(), ca.certificate());
    }

    static Path writeKey(Path file, Issued issued, KeyForm form) throws IOException {
        java.security.PrivateKey key = issued.keys().getPrivate();
        if (form == KeyForm.PKCS8) {
            return write(file, new JcaPKCS8Generator(key, null));
        }
        if (key.getAlgorithm().equals("EC")) {
            // Bouncy Castle's writer copies the JDK's inner key, which leaves the curve to the PKCS#8 wrapper; SEC1 as
            // openssl writes it names the curve inside.
            PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
            ECPrivateKey inner = ECPrivateKey.getInstance(info.parsePrivateKey());
            ECPrivateKey sec1 = new ECPrivateKey(256, inner.getKey(), info.getPrivateKeyAlgorithm().getParameters());
            return write(file, new PemObject("EC PRIVATE KEY", sec1.getEncoded()));
        }
        return write(file, key); // PKCS#1
    }

    Path writeCa(Path file) throws IOException {
        return write(file, ca.certificate());
    }

    static Path write(Path file, Object... objects) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(text)) {
            for (Object object : objects) {
                pem.writeObject(object);
            }
        }
        Files.writeString(file, text.toString(), StandardCharsets.US_ASCII);
        return file;
    }

    /** Replaces {@code target} as an operator should: copy beside it under a temporary name, then rename over it. */
    static void replace(Path target, Path with) throws IOException {
        Path part = target.resolveSibling("." + target.getFileName() + ".part");
        Files.copy(with, part, StandardCopyOption.REPLACE_EXISTING);
        Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
    }
}
