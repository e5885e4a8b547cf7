package io.portside.policy.connectionlimit;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.util.Optional;

import io.portside.handler.api.PeerCredentials;
import io.portside.handler.api.PolicyRequest;
import io.portside.handler.api.Transport;

/** A policy request as the host would pass it: plain data. */
record TestRequest(SocketAddress clientAddress, Transport transport, String listener, Optional<PeerCredentials> peerCredentials)
        implements PolicyRequest {

    static TestRequest tcp(String ip) {
        try {
            return new TestRequest(new InetSocketAddress(InetAddress.getByName(ip), 40000), Transport.TCP, "test", Optional.empty());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static TestRequest tcp(byte[] address) {
        try {
            return new TestRequest(new InetSocketAddress(InetAddress.getByAddress(address), 40000), Transport.TCP, "test", Optional.empty());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static TestRequest unix(String user, String group) {
        return new TestRequest(UnixDomainSocketAddress.of(""), Transport.UNIX_STREAM, "test",
                Optional.of(new PeerCredentials(user, group)));
    }

    static TestRequest unixDatagram() {
        return new TestRequest(null, Transport.UNIX_DATAGRAM, "test", Optional.empty());
    }
}
