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
import java.util.Map;

import io.portside.server.tls.internal.TlsSettings;

/**
 * A listener's TLS keys, read once from its configuration: the settings the key material is built from (checked here,
 * the files themselves when the listener binds) and the handshake's bound. TLS is on when {@code tls.certificate} is set,
 * and only on stream endpoints.
 */
record ListenerTlsConfig(TlsSettings settings, Duration handshakeTimeout) {

    static final ListenerTlsConfig NONE = new ListenerTlsConfig(TlsSettings.OFF, TLS_HANDSHAKE_TIMEOUT.defaultValue());

    /** @throws IllegalArgumentException naming the key, for values that cannot make TLS (files are read at bind) */
    static ListenerTlsConfig from(Map<String, Object> props, Path home, Endpoint endpoint) {
        TlsSettings settings = TlsSettings.of(TLS_CERTIFICATE.from(props), TLS_KEY.from(props), TLS_CLIENT_AUTH.from(props),
                TLS_CLIENT_CA.from(props), TLS_PROTOCOLS.from(props), TLS_CIPHERS.from(props), TLS_ALPN.from(props), home);
        if (settings.enabled() && !endpoint.transport().isStream()) {
            throw new IllegalArgumentException("'tls.certificate': TLS is for stream endpoints (tcp:, unix:), not " + endpoint.text());
        }
        return new ListenerTlsConfig(settings, TLS_HANDSHAKE_TIMEOUT.from(props));
    }

    boolean enabled() {
        return settings.enabled();
    }
}
