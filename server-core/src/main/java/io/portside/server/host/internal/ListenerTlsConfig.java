package io.portside.server.host.internal;

import static io.portside.server.host.internal.ListenerConfig.TLS_ALPN;
import static io.portside.server.host.internal.ListenerConfig.TLS_CERTIFICATE;
import static io.portside.server.host.internal.ListenerConfig.TLS_CIPHERS;
import static io.portside.server.host.internal.ListenerConfig.TLS_CLIENT_AUTH;
import static io.portside.server.host.internal.ListenerConfig.TLS_CLIENT_CA;
import static io.portside.server.host.internal.ListenerConfig.TLS_HANDSHAKE_TIMEOUT;
import static io.portside.server.host.internal.ListenerConfig.TLS_KEY;
import static io.portside.server.host.internal.ListenerConfig.TLS_PROTOCOLS;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.portside.server.tls.internal.TlsSettings;

/**
 * A listener's TLS keys, read once from its configuration: the settings the key material is built from (checked here,
 * the files themselves when the listener binds) and the handshake's bound. TLS is on when {@code tls.certificate} is set,
 * and only on stream endpoints.
 */
record ListenerTlsConfig(TlsSettings settings, Duration handshakeTimeout) {

    static final ListenerTlsConfig NONE = new ListenerTlsConfig(null, TLS_HANDSHAKE_TIMEOUT.defaultValue());

    static ListenerTlsConfig from(Map<String, Object> props, Path home, Endpoint endpoint) {
        List<String> certificates = TLS_CERTIFICATE.from(props);
        Duration handshake = TLS_HANDSHAKE_TIMEOUT.from(props);
        if (certificates.isEmpty()) {
            for (var key : List.of(TLS_KEY, TLS_CLIENT_CA, TLS_PROTOCOLS, TLS_CIPHERS, TLS_ALPN)) {
                if (props.get(key.key()) != null && !String.valueOf(props.get(key.key())).isBlank()) {
                    throw new IllegalArgumentException("'" + key + "' is set but 'tls.certificate' is not: TLS would be off");
                }
            }
            return new ListenerTlsConfig(null, handshake);
        }
        if (!endpoint.transport().isStream()) {
            throw new IllegalArgumentException("'tls.certificate': TLS is for stream endpoints (tcp:, unix:), not " + endpoint.text());
        }
        TlsSettings settings = TlsSettings.of(certificates, TLS_KEY.from(props), TLS_CLIENT_AUTH.from(props), TLS_CLIENT_CA.from(props),
                TLS_PROTOCOLS.from(props), TLS_CIPHERS.from(props), TLS_ALPN.from(props), home);
        return new ListenerTlsConfig(settings, handshake);
    }

    boolean enabled() {
        return settings != null;
    }
}
