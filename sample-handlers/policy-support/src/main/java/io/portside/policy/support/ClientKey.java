package io.portside.policy.support;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

import io.portside.handler.api.PolicyRequest;

/**
 * What "one client" means for a limit: the IP address (an IPv4-mapped IPv6 address counts as the IPv4 address it
 * carries, whatever the port); on Unix sockets the peer's user; an unidentifiable peer (an unbound Unix datagram
 * client) shares one key with all others like it.
 */
public final class ClientKey {

    private ClientKey() {
    }

    public static String of(PolicyRequest request) {
        if (request.clientAddress() instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return ip(inet.getAddress());
        }
        return request.peerCredentials().map(peer -> "unix-user:" + peer.user())
                .orElse(request.transport().scheme() + ":anonymous");
    }

    private static String ip(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length == 16 && isV4Mapped(b)) {
            try {
                return InetAddress.getByAddress(Arrays.copyOfRange(b, 12, 16)).getHostAddress();
            } catch (UnknownHostException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
        return address.getHostAddress();
    }

    private static boolean isV4Mapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }
}
