package io.portside.server.host.internal;

import java.io.IOException;

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

    static BaseServer<?> bind(ListenerSpec spec, ConnectionPipeline pipeline) throws IOException {
        Endpoint endpoint = spec.endpoint();
        RequestProcessor<StreamRequest> streams = pipeline::process;
        RequestProcessor<DatagramRequest> datagrams = pipeline::process;
        BaseServer<?> server = switch (endpoint.transport()) {
            case TCP -> {
                TcpServer tcp = new TcpServer(endpoint.inetAddress(), streams, false);
                tcp.setRequestQueueSize(spec.backlog());
                tcp.setAllowReuseAddress(true); // a restarted host rebinds over TIME_WAIT at once
                yield tcp;
            }
            case UNIX_STREAM -> {
                UnixStreamServer unix = new UnixStreamServer(UnixSocketFiles.prepare(endpoint.path()), streams, false);
                unix.setRequestQueueSize(spec.backlog());
                spec.unixSocket().applyTo(unix.socketFile());
                yield unix;
            }
            case UDP -> new UdpServer(endpoint.inetAddress(), datagrams, false);
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
