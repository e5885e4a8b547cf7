package io.portside.server.tls.internal;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * One load of a listener's TLS files, immutable: the served certificates and the context built from them. A reload makes
 * a new one and swaps it in whole (Jetty rebuilds its context, Helidon swaps a volatile key manager: either way nothing a
 * handshake under way reads changes beneath it). A fresh context also means sessions of the old certificate are never
 * resumed onto the new one.
 */
record LoadedTls(List<ServedCertificate> served, SSLContext context, Instant loadedAt) {

    /**
     * Loads every file the settings name and builds the context.
     *
     * @throws TlsFileException naming the file and what is wrong with it
     */
    static LoadedTls load(TlsSettings settings, Instant now) {
        List<ServedCertificate> served = new ArrayList<>();
        for (int i = 0; i < settings.certificates().size(); i++) {
            served.add(ServedCertificate.load(settings.certificates().get(i), settings.keys().get(i), now));
        }
        TrustManager[] trust = settings.clientAuth() == ClientAuth.NONE ? null : clientTrust(settings.clientCa().orElseThrow());
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {new SniKeyManager(served)}, trust, null);
            return new LoadedTls(served, context, now);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no usable TLS context: " + e, e);
        }
    }

    /** The trust managers for client certificates: PKIX over the CAs of the bundle. */
    private static TrustManager[] clientTrust(Path bundle) {
        List<X509Certificate> cas = PemFiles.certificates(TlsSettings.CLIENT_CA, bundle);
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < cas.size(); i++) {
                store.setCertificateEntry("ca-" + i, cas.get(i));
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            factory.init(store);
            return factory.getTrustManagers();
        } catch (java.io.IOException | GeneralSecurityException e) {
            throw new TlsFileException(TlsSettings.CLIENT_CA, bundle, TlsFileProblem.NOT_PEM, e.getMessage());
        }
    }

    /** The certificate that expires first among all served, for the near-expiry warning. */
    ServedCertificate firstToExpire() {
        return served.stream().min((a, b) -> a.expires().compareTo(b.expires())).orElseThrow();
    }
}
