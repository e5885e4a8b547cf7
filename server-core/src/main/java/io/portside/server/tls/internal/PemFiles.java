package io.portside.server.tls.internal;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads PEM certificates and private keys with Bouncy Castle's parser: PKCS#8 ({@code PRIVATE KEY}), and the forms
 * {@code openssl} writes by default, PKCS#1 ({@code RSA PRIVATE KEY}) and SEC1 ({@code EC PRIVATE KEY}, with or without the
 * {@code EC PARAMETERS} block before it). The JDK has no PEM reader before Java 25's preview, and no PKCS#1 or SEC1 one.
 *
 * <p>The converters use the JDK's own providers (no Bouncy Castle provider is registered), so the keys and certificates are
 * the JDK's classes that its TLS implementation expects.
 */
final class PemFiles {

    private PemFiles() {
    }

    /** The certificates in a PEM file, in file order (for a chain: leaf first); at least one. */
    static List<X509Certificate> certificates(String key, Path file) {
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        List<X509Certificate> certificates = new ArrayList<>();
        for (Object item : read(key, file)) {
            if (item instanceof X509CertificateHolder holder) {
                try {
                    certificates.add(converter.getCertificate(holder));
                } catch (CertificateException e) {
                    throw new TlsFileException(key, file, TlsFileProblem.NOT_PEM, e.getMessage());
                }
            }
        }
        if (certificates.isEmpty()) {
            throw new TlsFileException(key, file, TlsFileProblem.NO_CERTIFICATE, null);
        }
        return List.copyOf(certificates);
    }

    /** The first private key in a PEM file. */
    static PrivateKey privateKey(String key, Path file) {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        for (Object item : read(key, file)) {
            try {
                if (item instanceof PrivateKeyInfo pkcs8) {
                    return converter.getPrivateKey(pkcs8);
                }
                if (item instanceof PEMKeyPair traditional) {
                    // PKCS#1 or SEC1. Only the private half: SEC1 makes the public key optional, and Bouncy Castle's own
                    // writer leaves it out.
                    return converter.getPrivateKey(traditional.getPrivateKeyInfo());
                }
            } catch (IOException e) {
                throw new TlsFileException(key, file, TlsFileProblem.UNSUPPORTED_KEY, e.getMessage());
            }
            if (item instanceof PEMEncryptedKeyPair || item instanceof PKCS8EncryptedPrivateKeyInfo) {
                throw new TlsFileException(key, file, TlsFileProblem.ENCRYPTED_KEY, null);
            }
            // Anything else (EC PARAMETERS, a certificate in a combined file) is not the key: skipped.
        }
        throw new TlsFileException(key, file, TlsFileProblem.NO_KEY, null);
    }

    /** Every PEM object of a file; ISO-8859-1 so that a binary file is "not PEM", not a charset error. */
    private static List<Object> read(String key, Path file) {
        List<Object> items = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1);
                PEMParser parser = new PEMParser(reader)) {
            for (Object item; (item = parser.readObject()) != null; ) {
                items.add(item);
            }
        } catch (NoSuchFileException e) {
            throw new TlsFileException(key, file, TlsFileProblem.MISSING, null);
        } catch (IOException e) {
            // BC reports malformed PEM as a (subclass of) IOException too; a file the host cannot open is told apart.
            boolean readable = Files.isReadable(file);
            throw new TlsFileException(key, file, readable ? TlsFileProblem.NOT_PEM : TlsFileProblem.UNREADABLE, e.getMessage());
        } catch (RuntimeException e) { // BC throws unchecked ones for some malformed ASN.1 inside a well-formed PEM block
            throw new TlsFileException(key, file, TlsFileProblem.NOT_PEM, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
        return items;
    }
}
