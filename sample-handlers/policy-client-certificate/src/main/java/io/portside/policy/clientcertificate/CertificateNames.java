package io.portside.policy.clientcertificate;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * The names a client certificate vouches for, as {@code allow.names} and {@code deny.names} match them: its subject
 * alternative names of type DNS, email and URI, and its subject's common names.
 */
final class CertificateNames {

    private static final int EMAIL = 1;
    private static final int DNS = 2;
    private static final int URI = 6;

    private CertificateNames() {
    }

    static List<String> of(X509Certificate certificate) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
            if (alternatives != null) {
                for (List<?> entry : alternatives) {
                    if (entry.size() == 2 && entry.get(0) instanceof Integer type && entry.get(1) instanceof String value
                            && (type == EMAIL || type == DNS || type == URI)) {
                        names.add(value);
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // an extension the JDK cannot read vouches for nothing: the subject's names still count
        }
        names.addAll(commonNames(certificate));
        return List.copyOf(names);
    }

    private static List<String> commonNames(X509Certificate certificate) {
        List<String> cns = new ArrayList<>();
        try {
            for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                if ("CN".equalsIgnoreCase(rdn.getType()) && rdn.getValue() instanceof String cn) {
                    cns.add(cn);
                }
            }
        } catch (InvalidNameException e) {
            // the JDK wrote this RFC 2253 name itself; it parses
        }
        return cns;
    }
}
