package io.portside.server.tls.internal;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * One certificate a listener serves: its chain (leaf first), its private key, the host names it answers SNI for, and the
 * files it came from (named in log lines).
 */
record ServedCertificate(List<X509Certificate> chain, PrivateKey key, List<String> names, Path certificateFile, Path keyFile) {

    ServedCertificate {
        chain = List.copyOf(chain);
        names = List.copyOf(names);
    }

    /**
     * Loads one pair and checks it can be served: the key belongs to the leaf, and every certificate of the chain is in
     * date at {@code now} (a client would refuse it otherwise, so the last good one is better).
     *
     * @throws TlsFileException naming the file and what is wrong
     */
    static ServedCertificate load(Path certificateFile, Path keyFile, Instant now) {
        List<X509Certificate> chain = PemFiles.certificates(TlsSettings.CERTIFICATE, certificateFile);
        PrivateKey key = PemFiles.privateKey(TlsSettings.KEY, keyFile);
        X509Certificate leaf = chain.get(0);
        if (!KeyPairCheck.matches(key, leaf.getPublicKey())) {
            throw new TlsFileException(TlsSettings.KEY, keyFile, TlsFileProblem.KEY_MISMATCH,
                    "its " + key.getAlgorithm() + " key is not the one of " + subject(leaf) + " in " + certificateFile);
        }
        for (X509Certificate certificate : chain) {
            try {
                certificate.checkValidity(Date.from(now));
            } catch (CertificateExpiredException e) {
                throw new TlsFileException(TlsSettings.CERTIFICATE, certificateFile, TlsFileProblem.EXPIRED,
                        subject(certificate) + " expired " + certificate.getNotAfter().toInstant());
            } catch (CertificateNotYetValidException e) {
                throw new TlsFileException(TlsSettings.CERTIFICATE, certificateFile, TlsFileProblem.NOT_YET_VALID,
                        subject(certificate) + " is valid from " + certificate.getNotBefore().toInstant());
            }
        }
        return new ServedCertificate(chain, key, HostNames.of(leaf), certificateFile, keyFile);
    }

    X509Certificate leaf() {
        return chain.get(0);
    }

    /** When the first certificate of the chain to expire does. */
    Instant expires() {
        return chain.stream().map(c -> c.getNotAfter().toInstant()).min(Instant::compareTo).orElseThrow();
    }

    /** The key family the JDK's key manager calls ask for: "RSA", "EC", "EdDSA". */
    String keyFamily() {
        return KeyPairCheck.family(leaf().getPublicKey().getAlgorithm());
    }

    static String subject(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().getName();
    }
}
