package io.portside.server.tls.internal;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/**
 * The host names a certificate serves, and whether an SNI name is one of them: the DNS subject alternative names, or the
 * common name when there are none (as browsers did before RFC 6125 and as Jetty's SNI selection still does). A wildcard
 * stands for exactly one leftmost label: {@code *.example.com} matches {@code a.example.com}, not {@code example.com} nor
 * {@code a.b.example.com}.
 */
final class HostNames {

    private static final int DNS_NAME = 2;

    private HostNames() {
    }

    /** The names of a certificate, lower case. */
    static List<String> of(X509Certificate certificate) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
            if (alternatives != null) {
                for (List<?> entry : alternatives) {
                    if (entry.size() >= 2 && Integer.valueOf(DNS_NAME).equals(entry.get(0)) && entry.get(1) instanceof String dns) {
                        names.add(dns.toLowerCase(Locale.ROOT));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // An unreadable extension serves no names by SAN; the common name below still may.
        }
        if (names.isEmpty()) {
            X500Name subject = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
            for (RDN rdn : subject.getRDNs(BCStyle.CN)) {
                names.add(IETFUtils.valueToString(rdn.getFirst().getValue()).toLowerCase(Locale.ROOT));
            }
        }
        return List.copyOf(names);
    }

    /** Whether {@code host} (an SNI name) is one of {@code names}. */
    static boolean matches(List<String> names, String host) {
        String wanted = trimDot(host.toLowerCase(Locale.ROOT));
        for (String name : names) {
            if (matches(name, wanted)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(String pattern, String host) {
        String name = trimDot(pattern);
        if (!name.startsWith("*.")) {
            return name.equals(host);
        }
        int dot = host.indexOf('.');
        return dot > 0 && host.substring(dot).equals(name.substring(1));
    }

    private static String trimDot(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }
}
