package io.portside.server.tls.internal;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Chooses the certificate of a handshake by the host name the client asked for (SNI), as Jetty's
 * {@code SniX509ExtendedKeyManager} does: the certificate whose names match, else the first one (the default). Immutable:
 * a reload builds a new one with a new context, so a handshake under way never sees half of each.
 *
 * <p>The certificate is chosen by name first and only then checked against the key type the JDK asks for: the JDK asks
 * once per signature scheme the client accepts, and answering "the default, since it is RSA" to an RSA question would
 * serve the wrong host an EC client asked for by name. A null answer makes the JDK try the next scheme.
 *
 * <p>Aliases are the certificates' positions ("0", "1", ...). Client-side methods answer nothing: this is a server.
 */
final class SniKeyManager extends X509ExtendedKeyManager {

    private final List<ServedCertificate> served;

    SniKeyManager(List<ServedCertificate> served) {
        if (served.isEmpty()) {
            throw new IllegalArgumentException("no certificate to serve");
        }
        this.served = List.copyOf(served);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return choose(keyType, engine == null ? null : engine.getHandshakeSession());
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return choose(keyType, socket instanceof SSLSocket ssl ? ssl.getHandshakeSession() : null);
    }

    /** The alias for this handshake's SNI name if its key is of {@code keyType}; null to let the JDK try another type. */
    String choose(String keyType, SSLSession handshake) {
        int index = indexFor(requestedHostName(handshake));
        return fits(served.get(index), keyType) ? Integer.toString(index) : null;
    }

    /** The position of the certificate that serves {@code host}: the first whose names match, else 0 (the default). */
    int indexFor(String host) {
        if (host != null) {
            for (int i = 0; i < served.size(); i++) {
                if (HostNames.matches(served.get(i).names(), host)) {
                    return i;
                }
            }
        }
        return 0;
    }

    static String requestedHostName(SSLSession handshake) {
        if (handshake instanceof ExtendedSSLSession extended) {
            for (SNIServerName name : extended.getRequestedServerNames()) {
                if (name instanceof SNIHostName host) {
                    return host.getAsciiName();
                }
            }
        }
        return null;
    }

    /** keyType is a key family ("RSA", "EC", "EdDSA"); older callers append the signer's type ("EC_RSA"). */
    private static boolean fits(ServedCertificate certificate, String keyType) {
        if (keyType == null) {
            return false;
        }
        String family = certificate.keyFamily();
        return keyType.equals(family) || keyType.startsWith(family + "_");
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        List<String> aliases = new ArrayList<>();
        for (int i = 0; i < served.size(); i++) {
            if (fits(served.get(i), keyType)) {
                aliases.add(Integer.toString(i));
            }
        }
        return aliases.isEmpty() ? null : aliases.toArray(String[]::new);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        ServedCertificate certificate = byAlias(alias);
        return certificate == null ? null : certificate.chain().toArray(X509Certificate[]::new);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        ServedCertificate certificate = byAlias(alias);
        return certificate == null ? null : certificate.key();
    }

    private ServedCertificate byAlias(String alias) {
        try {
            int index = Integer.parseInt(alias);
            return index >= 0 && index < served.size() ? served.get(index) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        return null;
    }
}
