package io.portside.server.host.internal;

import java.io.IOException;
import java.net.InetSocketAddress;

import io.portside.handler.api.DatagramRequest;
import io.portside.handler.api.StreamRequest;
import io.portside.server.BaseServer;
import io.portside.server.RequestProcessor;
import io.portside.server.TcpServer;
import io.portside.server.UdpServer;
import io.portside.server.UnixDatagramServer;
import io.portside.server.UnixStreamServer;

/**
 * Binds the plain-Java server for a listener's endpoint with the listener's pipeline plugged in: the same server
 * classes users run without OSGi, composed rather than subclassed. Only the bind options are the host's.
 */
final class ServerFactory {

    private ServerFactory() {
    }

    /**
     * One socket of the listener.
     *
     * @param address   for IP endpoints, the address to bind (the first socket's real one, for the second and later);
     *                  null for the endpoint's own
     * @param reusePort SO_REUSEPORT before bind (IP only): the listener binds more than one socket
     */
    static BaseServer<?> bind(ListenerSpec spec, RequestProcessor<StreamRequest> streams, RequestProcessor<DatagramRequest> datagrams,
            InetSocketAddress address, boolean reusePort) throws IOException {
        Endpoint endpoint = spec.endpoint();
        InetSocketAddress ip = address != null || !ListenerSockets.isIp(endpoint.transport()) ? address : endpoint.inetAddress();
        BaseServer<?> server = switch (endpoint.transport()) {
            case TCP -> {
                TcpServer tcp = new TcpServer(ip, streams, false);
                tcp.setRequestQueueSize(spec.backlog());
                tcp.setAllowReuseAddress(true); // a restarted host rebinds over TIME_WAIT at once
                tcp.setAllowReusePort(reusePort);
                yield tcp;
            }
            case UNIX_STREAM -> {
                UnixStreamServer unix = new UnixStreamServer(UnixSocketFiles.prepare(endpoint.path()), streams, false);
                unix.setRequestQueueSize(spec.backlog());
                spec.unixSocket().applyTo(unix.socketFile());
                yield unix;
            }
            case UDP -> {
                UdpServer udp = new UdpServer(ip, datagrams, false);
                udp.setAllowReusePort(reusePort);
                yield udp;
            }
            case UNIX_DATAGRAM -> {
                UnixDatagramServer unix = new UnixDatagramServer(UnixSocketFiles.prepare(endpoint.path()), datagrams, false);
                spec.unixSocket().applyTo(unix.socketFile());
                yield unix;
            }
        };
        server.bindAndActivate(); // closes the server if it fails
        return server;
    }
}
