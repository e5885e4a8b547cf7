package io.portside.policy.clientcertificate;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import javax.security.auth.x500.X500Principal;

import io.portside.handler.api.ConfigOption;
import io.portside.handler.api.ConfigValues;
import io.portside.handler.api.PolicyDecision;
import io.portside.handler.api.PolicyRequest;
import io.portside.handler.api.TlsInfo;

/**
 * The client-certificate policy's rules, without any OSGi: which verified client certificates may connect.
 *
 * <ul>
 * <li>A client is rejected if its certificate's subject is a {@code deny.subject.*} or one of its names matches
 * {@code deny.names}; else accepted if its subject is an {@code allow.subject.*} or a name matches {@code allow.names};
 * else rejected.</li>
 * <li>A client without a certificate, and every client of a listener that does not serve TLS, is rejected.</li>
 * </ul>
 * Subjects are distinguished names, compared as X.500 names (attribute order matters; case and spacing do not). They
 * take one key each because a distinguished name has commas: {@code allow.subject.billing=CN=billing,O=Acme}.
 * The certificate was verified by the host against the listener's {@code tls.client.ca}; this policy never sees one
 * that was not.
 */
final class CertificateRules {

    static final ConfigOption<List<String>> ALLOW_NAMES = ConfigOption.list("allow.names");
    static final ConfigOption<List<String>> DENY_NAMES = ConfigOption.list("deny.names");
    static final String ALLOW_SUBJECT_PREFIX = "allow.subject.";
    static final String DENY_SUBJECT_PREFIX = "deny.subject.";

    private final List<NamePattern> allowNames;
    private final List<NamePattern> denyNames;
    private final List<X500Principal> allowSubjects;
    private final List<X500Principal> denySubjects;

    private CertificateRules(List<NamePattern> allowNames, List<NamePattern> denyNames, List<X500Principal> allowSubjects,
            List<X500Principal> denySubjects) {
        this.allowNames = allowNames;
        this.denyNames = denyNames;
        this.allowSubjects = allowSubjects;
        this.denySubjects = denySubjects;
    }

    /**
     * The rules a configuration describes.
     *
     * @throws IllegalArgumentException naming the key and the value that is wrong
     */
    static CertificateRules from(Map<String, ?> properties) {
        return new CertificateRules(patterns(properties, ALLOW_NAMES), patterns(properties, DENY_NAMES),
                subjects(properties, ALLOW_SUBJECT_PREFIX), subjects(properties, DENY_SUBJECT_PREFIX));
    }

    private static List<NamePattern> patterns(Map<String, ?> properties, ConfigOption<List<String>> option) {
        List<NamePattern> patterns = new ArrayList<>();
        for (String item : option.from(properties)) {
            try {
                patterns.add(new NamePattern(item));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + option.key() + "': " + e.getMessage(), e);
            }
        }
        return List.copyOf(patterns);
    }

    /** Every {@code prefix*} key's distinguished name, in key order so that the "active" line is stable. */
    private static List<X500Principal> subjects(Map<String, ?> properties, String prefix) {
        Map<String, Object> sorted = new TreeMap<>();
        properties.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                sorted.put(k, v);
            }
        });
        List<X500Principal> subjects = new ArrayList<>();
        sorted.forEach((key, value) -> {
            String dn = ConfigValues.text(value);
            try {
                subjects.add(new X500Principal(dn));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + key + "': '" + dn + "' is not a distinguished name", e);
            }
        });
        return List.copyOf(subjects);
    }

    PolicyDecision decide(PolicyRequest request) {
        Optional<TlsInfo> tls = request.tls();
        if (tls.isEmpty()) {
            return PolicyDecision.reject("the listener does not serve TLS, so there is no client certificate to judge");
        }
        List<X509Certificate> chain = tls.get().clientCertificates();
        if (chain.isEmpty()) {
            return PolicyDecision.reject("the client sent no certificate");
        }
        X509Certificate leaf = chain.get(0);
        X500Principal subject = leaf.getSubjectX500Principal();
        List<String> names = CertificateNames.of(leaf);
        if (denySubjects.contains(subject) || matchesAny(denyNames, names)) {
            return PolicyDecision.reject("client certificate " + subject.getName() + " is denied");
        }
        if (allowSubjects.contains(subject) || matchesAny(allowNames, names)) {
            return PolicyDecision.accept();
        }
        return PolicyDecision.reject("client certificate " + subject.getName() + " " + names + " is not allowed");
    }

    private static boolean matchesAny(List<NamePattern> patterns, List<String> names) {
        for (NamePattern p : patterns) {
            for (String name : names) {
                if (p.matches(name)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** True if no certificate at all can pass: worth a warning, though it is a valid way to close a listener. */
    boolean allowsNobody() {
        return allowNames.isEmpty() && allowSubjects.isEmpty();
    }

    @Override
    public String toString() {
        return ALLOW_NAMES + " " + allowNames + ", " + DENY_NAMES + " " + denyNames + ", allow.subject.* "
                + allowSubjects.stream().map(X500Principal::getName).toList() + ", deny.subject.* "
                + denySubjects.stream().map(X500Principal::getName).toList();
    }
}
