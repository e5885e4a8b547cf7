package io.portside.server.internal;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.Optional;

import io.portside.handler.api.PeerCredentials;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/** Reads SO_PEERCRED from a Unix stream channel where the platform supports it. */
final class PeerCredentialsReader {

    private PeerCredentialsReader() {
    }

    static Optional<PeerCredentials> read(SocketChannel channel) {
        try {
            if (!channel.supportedOptions().contains(ExtendedSocketOptions.SO_PEERCRED)) {
                return Optional.empty();
            }
            UnixDomainPrincipal principal = channel.getOption(ExtendedSocketOptions.SO_PEERCRED);
            return Optional.of(new PeerCredentials(principal.user().getName(), principal.group().getName()));
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }
}
