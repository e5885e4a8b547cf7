package io.portside.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

import io.portside.handler.api.DatagramHandlerFactory;
import io.portside.handler.api.StreamHandlerFactory;
import io.portside.sample.echo.EchoStreamService;
import io.portside.handler.api.StreamRequest;
import io.portside.server.BaseServer;
import io.portside.server.IncomingRequest;
import io.portside.server.StreamServer;
import io.portside.server.TcpServer;
import io.portside.server.UdpServer;
import io.portside.server.UnixStreamServer;
import io.portside.server.concurrency.BoundedPool;
import io.portside.server.concurrency.ConcurrencyModel;
import io.portside.server.concurrency.ThreadPerRequest;
import io.portside.server.concurrency.VirtualThreadPerRequest;

/**
 * The plain-Java candidate: the same handler factories the host serves (the echo sample's {@link EchoStreamService}
 * for line and unix, {@link RawEchoService}, {@link UdpEchoService}) on server-core's servers, on the class path,
 * without OSGi, with the concurrency models built exactly as the host builds them for a listener. Its distance
 * from the hosted candidate of the same model is the cost of hosting.
 *
 * <pre>PlainEcho --model sync|threading|pool|virtual --kind line|raw|udp|unix (--port N | --unix PATH)
 *           [--pool-size N] [--pool-queue N] [--backlog N] [--nodelay true]</pre>
 */
public final class PlainEcho {

    private PlainEcho() {
    }

    public static void main(String[] args) throws IOException {
        String model = "virtual";
        String kind = "line";
        String unix = null;
        int port = 0;
        int poolSize = 10240;
        int poolQueue = 1024;
        int backlog = 1024;
        boolean noDelay = false;
        for (int i = 0; i + 1 < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--model" -> model = v;
                case "--kind" -> kind = v;
                case "--port" -> port = Integer.parseInt(v);
                case "--unix" -> unix = v;
                case "--pool-size" -> poolSize = Integer.parseInt(v);
                case "--pool-queue" -> poolQueue = Integer.parseInt(v);
                case "--backlog" -> backlog = Integer.parseInt(v);
                case "--nodelay" -> noDelay = Boolean.parseBoolean(v);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        ConcurrencyModel concurrency = switch (model) {
            case "sync" -> ConcurrencyModel.synchronous();
            case "threading" -> new ThreadPerRequest(true, false);
            case "pool" -> new BoundedPool(poolSize, poolQueue, false);
            case "virtual" -> new VirtualThreadPerRequest(false);
            default -> throw new IllegalArgumentException("unknown model " + model);
        };
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        BaseServer<?> server;
        String where;
        switch (kind) {
            case "line", "raw" -> {
                StreamHandlerFactory handlers = kind.equals("line") ? new EchoStreamService() : new RawEchoService();
                TcpServer tcp = noDelay ? new NoDelayTcpServer(loopback, handlers, concurrency) : new TcpServer(loopback, handlers, concurrency, false);
                configure(tcp, backlog, true);
                tcp.bindAndActivate();
                server = tcp;
                where = "port=" + tcp.serverAddress().getPort();
            }
            case "unix" -> {
                Path path = Path.of(unix);
                Files.deleteIfExists(path);
                UnixStreamServer u = new UnixStreamServer(path, new EchoStreamService(), concurrency, false);
                configure(u, backlog, false);
                u.bindAndActivate();
                server = u;
                where = "unix=" + path;
            }
            case "udp" -> {
                DatagramHandlerFactory handlers = new UdpEchoService();
                UdpServer udp = new UdpServer(loopback, handlers, concurrency, false);
                udp.setAllowReuseAddress(true);
                udp.bindAndActivate();
                server = udp;
                where = "port=" + udp.serverAddress().getPort();
            }
            default -> throw new IllegalArgumentException("unknown kind " + kind);
        }
        System.out.println("READY server=portside-plain model=" + model + " kind=" + kind + " " + where + " java=" + Runtime.version());
        System.out.flush();
        server.serveForever();
    }

    /** TCP_NODELAY on every accepted connection, as the harness's Python peer does (an experiment: see docs/performance.md). */
    private static final class NoDelayTcpServer extends TcpServer {
        NoDelayTcpServer(InetSocketAddress address, StreamHandlerFactory handlers, ConcurrencyModel concurrency) throws IOException {
            super(address, handlers, concurrency, false);
        }

        @Override
        protected IncomingRequest<StreamRequest> getRequest() throws IOException {
            IncomingRequest<StreamRequest> incoming = super.getRequest();
            if (incoming != null) {
                incoming.request().setNoDelay(true);
            }
            return incoming;
        }
    }

    private static void configure(StreamServer server, int backlog, boolean reuse) {
        server.setRequestQueueSize(backlog);
        server.setAllowReuseAddress(reuse);
    }
}
