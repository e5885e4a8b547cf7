package io.portside.server.tls.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A listener's TLS keys, checked and with every path resolved: what {@link TlsMaterial} loads and watches. Plain values
 * in, so the host's configuration parser and tests build it alike; a bad value fails with an
 * {@link IllegalArgumentException} whose message names the key, as every other listener key does.
 *
 * <p>The shape for several certificates: {@code tls.certificate} and {@code tls.key} are lists of the same length, paired
 * by position. The first pair serves clients that send no SNI name or a name no certificate carries; every pair serves the
 * names in its certificate (DNS subject alternative names, else the common name).
 *
 * @param certificates PEM certificate chains, leaf first; empty when TLS is off
 * @param keys the private key of each certificate, in the same order
 * @param clientAuth whether clients present a certificate
 * @param clientCa the CAs client certificates must chain to; present when {@code clientAuth} is not NONE
 * @param protocols protocols to enable, never empty
 * @param ciphers cipher suites to enable; empty for the JDK's defaults
 * @param alpn application protocols offered, in order of preference; empty for no ALPN
 */
public record TlsSettings(List<Path> certificates, List<Path> keys, ClientAuth clientAuth, Optional<Path> clientCa,
        List<String> protocols, List<String> ciphers, List<String> alpn) {

    static final String CERTIFICATE = "tls.certificate";
    static final String KEY = "tls.key";
    static final String CLIENT_AUTH = "tls.client.auth";
    static final String CLIENT_CA = "tls.client.ca";
    static final String PROTOCOLS = "tls.protocols";
    static final String CIPHERS = "tls.ciphers";
    static final String ALPN = "tls.alpn";

    /** TLSv1.1 and older are disabled by the JDK's security policy, so naming them would only fail every handshake. */
    private static final Set<String> KNOWN_PROTOCOLS = Set.of("TLSv1.3", "TLSv1.2");
    private static final List<String> DEFAULT_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /** TLS off: what a listener without {@code tls.certificate} has. */
    public static final TlsSettings OFF = new TlsSettings(List.of(), List.of(), ClientAuth.NONE, Optional.empty(),
            DEFAULT_PROTOCOLS, List.of(), List.of());

    public TlsSettings {
        certificates = List.copyOf(certificates);
        keys = List.copyOf(keys);
        protocols = List.copyOf(protocols);
        ciphers = List.copyOf(ciphers);
        alpn = List.copyOf(alpn);
    }

    /**
     * Checks and resolves a listener's {@code tls.*} values. Empty lists and null or empty strings mean "not set".
     *
     * @param home what relative paths resolve against; null for the working directory
     * @throws IllegalArgumentException naming the key, for unequal lists, an unknown client auth or protocol, a missing
     *     {@code tls.client.ca}, or TLS options on a listener without {@code tls.certificate}
     */
    public static TlsSettings of(List<String> certificates, List<String> keys, String clientAuth, String clientCa,
            List<String> protocols, List<String> ciphers, List<String> alpn, Path home) {
        ClientAuth auth = ClientAuth.parse(clientAuth);
        boolean caSet = clientCa != null && !clientCa.isBlank();
        if (certificates.size() != keys.size()) {
            throw new IllegalArgumentException("'" + KEY + "' must list one key per certificate in '" + CERTIFICATE
                    + "', in the same order: " + keys.size() + " key(s) for " + certificates.size() + " certificate(s)");
        }
        if (certificates.isEmpty()) {
            refuseWithoutCertificate(auth != ClientAuth.NONE, CLIENT_AUTH);
            refuseWithoutCertificate(caSet, CLIENT_CA);
            refuseWithoutCertificate(!protocols.isEmpty(), PROTOCOLS);
            refuseWithoutCertificate(!ciphers.isEmpty(), CIPHERS);
            refuseWithoutCertificate(!alpn.isEmpty(), ALPN);
            return OFF;
        }
        if (auth != ClientAuth.NONE && !caSet) {
            throw new IllegalArgumentException("'" + CLIENT_CA + "' is required when " + CLIENT_AUTH + " is "
                    + auth.name().toLowerCase(java.util.Locale.ROOT) + ": the PEM bundle of the CAs client certificates must chain to");
        }
        for (String protocol : protocols) {
            if (!KNOWN_PROTOCOLS.contains(protocol)) {
                throw new IllegalArgumentException("'" + PROTOCOLS + "' names a protocol this host does not serve (TLSv1.3, TLSv1.2): '"
                        + protocol + "'");
            }
        }
        Path base = home == null ? Path.of("").toAbsolutePath() : home;
        return new TlsSettings(resolve(certificates, base), resolve(keys, base), auth,
                caSet ? Optional.of(base.resolve(clientCa.trim())) : Optional.empty(),
                protocols.isEmpty() ? DEFAULT_PROTOCOLS : protocols, ciphers, alpn);
    }

    /** Whether the listener serves TLS. */
    public boolean enabled() {
        return !certificates.isEmpty();
    }

    /** Every file the material is loaded from: what a reload watches. */
    List<Path> files() {
        List<Path> files = new ArrayList<>(certificates);
        files.addAll(keys);
        if (clientAuth != ClientAuth.NONE) {
            clientCa.ifPresent(files::add);
        }
        return files;
    }

    private static void refuseWithoutCertificate(boolean set, String key) {
        if (set) {
            // Refused rather than ignored: a listener an operator meant to protect must not serve plaintext quietly.
            throw new IllegalArgumentException("'" + key + "' needs '" + CERTIFICATE + "' and '" + KEY
                    + "' (TLS is off on this listener without them)");
        }
    }

    private static List<Path> resolve(List<String> paths, Path base) {
        return paths.stream().map(p -> base.resolve(p.trim())).toList();
    }
}
