package io.portside.server.host.internal;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.util.concurrent.RejectedExecutionException;

import io.portside.handler.api.DatagramRequest;
import io.portside.handler.api.RequestHandlerFactory;
import io.portside.handler.api.StreamRequest;
import io.portside.server.BaseServer;
import io.portside.server.TcpServer;
import io.portside.server.UdpServer;
import io.portside.server.UnixDatagramServer;
import io.portside.server.UnixStreamServer;
import io.portside.server.concurrency.ConcurrencyModel;

/**
 * Makes the plain-Java server for a listener's transport, with its hooks routed to the listener.
 * The hosted servers are the same classes users run without OSGi; only the hooks differ. (Java has no mix-ins,
 * so each transport needs its own five one-line overrides.) {@code finishRequest} is one of them: the listener
 * picks each request's handler itself, so the servers' own handler factory is never asked.
 */
final class HostedServers {

    /** The servers' handler factory, which {@code finishRequest} bypasses. */
    private static final RequestHandlerFactory<Object> ROUTED_BY_LISTENER = () -> {
        throw new IllegalStateException("a hosted server's listener chooses each request's handler in finishRequest");
    };

    private HostedServers() {
    }

    static BaseServer<?> create(Endpoint endpoint, ConcurrencyModel model, int backlog, UnixSocketOptions unixSocket,
            RequestHooks hooks) throws IOException {
        return switch (endpoint.transport()) {
            case TCP -> new HostedTcpServer(endpoint, model, backlog, hooks);
            case UNIX_STREAM -> new HostedUnixStreamServer(endpoint.path(), model, backlog, unixSocket, hooks);
            case UDP -> new HostedUdpServer(endpoint, model, hooks);
            case UNIX_DATAGRAM -> new HostedUnixDatagramServer(endpoint.path(), model, unixSocket, hooks);
        };
    }

    @SuppressWarnings("unchecked")
    private static <R> RequestHandlerFactory<R> routedByListener() {
        return (RequestHandlerFactory<R>) ROUTED_BY_LISTENER;
    }

    private static final class HostedTcpServer extends TcpServer {
        private final RequestHooks hooks;

        HostedTcpServer(Endpoint endpoint, ConcurrencyModel model, int backlog,
                RequestHooks hooks) throws IOException {
            super(endpoint.inetAddress(), routedByListener(), model, false);
            this.hooks = hooks;
            this.requestQueueSize = backlog;
            this.allowReuseAddress = true; // a restarted host rebinds over TIME_WAIT at once
            bindAndActivate();
        }

        @Override
        protected boolean verifyRequest(StreamRequest request, SocketAddress client) {
            return hooks.verify(request, client, request::peerCredentials);
        }

        @Override
        protected void finishRequest(StreamRequest request, SocketAddress client) throws Exception {
            hooks.finish(request, client, this);
        }

        @Override
        protected void shutdownRequest(StreamRequest request) {
            super.shutdownRequest(request);
            hooks.ended(request);
        }

        @Override
        protected void handleError(StreamRequest request, SocketAddress client, Throwable error) {
            hooks.error(client, error);
        }

        @Override
        protected void requestRefused(StreamRequest request, SocketAddress client, RejectedExecutionException reason) {
            hooks.refused(client, reason);
        }
    }

    private static final class HostedUnixStreamServer extends UnixStreamServer {
        private final RequestHooks hooks;

        HostedUnixStreamServer(Path path, ConcurrencyModel model, int backlog, UnixSocketOptions unixSocket,
                RequestHooks hooks) throws IOException {
            super(UnixSocketFiles.prepare(path), routedByListener(), model, false);
            this.hooks = hooks;
            this.requestQueueSize = backlog;
            unixSocket.applyTo(this);
            bindAndActivate();
        }

        @Override
        protected boolean verifyRequest(StreamRequest request, SocketAddress client) {
            return hooks.verify(request, client, request::peerCredentials);
        }

        @Override
        protected void finishRequest(StreamRequest request, SocketAddress client) throws Exception {
            hooks.finish(request, client, this);
        }

        @Override
        protected void shutdownRequest(StreamRequest request) {
            super.shutdownRequest(request);
            hooks.ended(request);
        }

        @Override
        protected void handleError(StreamRequest request, SocketAddress client, Throwable error) {
            hooks.error(client, error);
        }

        @Override
        protected void requestRefused(StreamRequest request, SocketAddress client, RejectedExecutionException reason) {
            hooks.refused(client, reason);
        }
    }

    private static final class HostedUdpServer extends UdpServer {
        private final RequestHooks hooks;

        HostedUdpServer(Endpoint endpoint, ConcurrencyModel model, RequestHooks hooks)
                throws IOException {
            super(endpoint.inetAddress(), routedByListener(), model, false);
            this.hooks = hooks;
            bindAndActivate();
        }

        @Override
        protected boolean verifyRequest(DatagramRequest request, SocketAddress client) {
            return hooks.verify(request, client, java.util.Optional::empty);
        }

        @Override
        protected void finishRequest(DatagramRequest request, SocketAddress client) throws Exception {
            hooks.finish(request, client, this);
        }

        @Override
        protected void shutdownRequest(DatagramRequest request) {
            super.shutdownRequest(request);
            hooks.ended(request);
        }

        @Override
        protected void handleError(DatagramRequest request, SocketAddress client, Throwable error) {
            hooks.error(client, error);
        }

        @Override
        protected void requestRefused(DatagramRequest request, SocketAddress client, RejectedExecutionException reason) {
            hooks.refused(client, reason);
        }
    }

    private static final class HostedUnixDatagramServer extends UnixDatagramServer {
        private final RequestHooks hooks;

        HostedUnixDatagramServer(Path path, ConcurrencyModel model, UnixSocketOptions unixSocket, RequestHooks hooks)
                throws IOException {
            super(UnixSocketFiles.prepare(path), routedByListener(), model, false);
            this.hooks = hooks;
            unixSocket.applyTo(this);
            bindAndActivate();
        }

        @Override
        protected boolean verifyRequest(DatagramRequest request, SocketAddress client) {
            return hooks.verify(request, client, java.util.Optional::empty);
        }

        @Override
        protected void finishRequest(DatagramRequest request, SocketAddress client) throws Exception {
            hooks.finish(request, client, this);
        }

        @Override
        protected void shutdownRequest(DatagramRequest request) {
            super.shutdownRequest(request);
            hooks.ended(request);
        }

        @Override
        protected void handleError(DatagramRequest request, SocketAddress client, Throwable error) {
            hooks.error(client, error);
        }

        @Override
        protected void requestRefused(DatagramRequest request, SocketAddress client, RejectedExecutionException reason) {
            hooks.refused(client, reason);
        }
    }
}
