package io.portside.server.host.internal;

import java.lang.System.Logger.Level;
import java.net.SocketAddress;
import java.util.Objects;

import javax.net.ssl.SSLEngine;

import io.portside.server.tls.internal.TlsMaterial;
import io.portside.server.tls.internal.TlsSettings;

/**
 * The TLS of one listener: its live key material (which reloads its own files) while the listener's configuration asks
 * for TLS. A configuration change that names other files loads them before it takes effect; when they cannot be loaded,
 * a listener that is binding fails closed, and one that is serving keeps the material it has and says why.
 */
final class ListenerTls {

    private static final System.Logger LOG = System.getLogger("io.portside.host");

    private volatile TlsMaterial material; // null: TLS off; written under this

    /**
     * Applies the listener's TLS configuration.
     *
     * @throws IllegalArgumentException when {@code binding} and the files cannot be loaded: the listener must not open
     */
    synchronized void apply(ListenerTlsConfig next, String listener, boolean binding) {
        TlsMaterial current = material;
        if (Objects.equals(next.settings(), current == null ? TlsSettings.OFF : current.settings())) {
            return; // the same files: the material reloads them itself
        }
        TlsMaterial loaded = null;
        if (next.enabled()) {
            try {
                loaded = TlsMaterial.open(listener, next.settings());
            } catch (IllegalArgumentException e) {
                if (binding) {
                    throw e;
                }
                LOG.log(Level.WARNING, "Listener {0}: kept its TLS certificates: the new configuration''s cannot be used: {1}", listener,
                        e.getMessage());
                return;
            }
        }
        material = loaded;
        if (current != null) {
            current.close();
        }
    }

    /** A server-side engine for a new connection, or null when the listener serves no TLS. */
    SSLEngine newEngine(SocketAddress peer) {
        TlsMaterial m = material;
        return m == null ? null : m.newEngine(peer);
    }

    boolean enabled() {
        return material != null;
    }

    /** When the first of the served certificates expires, in epoch seconds; 0 without TLS. */
    long earliestExpiry() {
        TlsMaterial m = material;
        return m == null ? 0 : m.certificates().stream().mapToLong(c -> c.getNotAfter().getTime() / 1000).min().orElse(0);
    }

    synchronized void close() {
        TlsMaterial m = material;
        material = null;
        if (m != null) {
            m.close();
        }
    }
}
