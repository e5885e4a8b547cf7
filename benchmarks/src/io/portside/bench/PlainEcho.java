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
import io.portside.server.ProtocolServing;
import io.portside.server.RequestProcessor;
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
 * <p>{@code --model protocol} serves the stream kinds with the event-driven path instead: {@link EchoProtocol} under a
 * {@link ProtocolServing}, on the server's own readiness loops, with no handler thread per connection. Protocols are
 * stream-only, so with it {@code --kind udp} is served by the virtual model, and the READY line says so
 * ({@code model=protocol udp=virtual}).
 *
 * <pre>PlainEcho --model sync|threading|pool|virtual|protocol --kind line|raw|udp|unix (--port N | --unix PATH)
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
        boolean protocol = model.equals("protocol");
        ConcurrencyModel concurrency = concurrency(model, poolSize, poolQueue);
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        BaseServer<?> server;
        String where;
        switch (kind) {
            case "line", "raw" -> {
                TcpServer tcp = protocol ? tcpProtocol(loopback, kind, noDelay) : tcpBlocking(loopback, kind, concurrency, noDelay);
                configure(tcp, backlog, true);
                tcp.bindAndActivate();
                server = tcp;
                where = "port=" + tcp.serverAddress().getPort();
            }
            case "unix" -> {
                Path path = Path.of(unix);
                Files.deleteIfExists(path);
                UnixStreamServer u = protocol
                        ? new UnixStreamServer(path, new ProtocolServing(EchoProtocol::upperCasing), false)
                        : new UnixStreamServer(path, new EchoStreamService(), concurrency, false);
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
                where = "port=" + udp.serverAddress().getPort() + (protocol ? " udp=virtual" : "");
            }
            default -> throw new IllegalArgumentException("unknown kind " + kind);
        }
        System.out.println("READY server=portside-plain model=" + model + " kind=" + kind + " " + where + " java=" + Runtime.version());
        System.out.flush();
        server.serveForever();
    }

    /** The model as the host builds it for a listener; protocols serve streams only, so their UDP runs on virtual threads. */
    private static ConcurrencyModel concurrency(String model, int poolSize, int poolQueue) {
        return switch (model) {
            case "sync" -> ConcurrencyModel.synchronous();
            case "threading" -> new ThreadPerRequest(true, false);
            case "pool" -> new BoundedPool(poolSize, poolQueue, false);
            case "virtual", "protocol" -> new VirtualThreadPerRequest(false);
            default -> throw new IllegalArgumentException("unknown model " + model);
        };
    }

    private static TcpServer tcpBlocking(InetSocketAddress address, String kind, ConcurrencyModel concurrency, boolean noDelay)
            throws IOException {
        StreamHandlerFactory handlers = kind.equals("line") ? new EchoStreamService() : new RawEchoService();
        return noDelay ? new NoDelayTcpServer(address, handlers, concurrency) : new TcpServer(address, handlers, concurrency, false);
    }

    /** The event-driven path: the serving thread only accepts, each connection lives on a readiness loop. */
    private static TcpServer tcpProtocol(InetSocketAddress address, String kind, boolean noDelay) throws IOException {
        ProtocolServing serving = new ProtocolServing(kind.equals("line") ? EchoProtocol::upperCasing : EchoProtocol::raw);
        return noDelay ? new NoDelayTcpServer(address, serving) : new TcpServer(address, serving, false);
    }

    /** TCP_NODELAY on every accepted connection, as the harness's Python peer does (an experiment: see docs/performance.md). */
    private static final class NoDelayTcpServer extends TcpServer {
        NoDelayTcpServer(InetSocketAddress address, StreamHandlerFactory handlers, ConcurrencyModel concurrency) throws IOException {
            super(address, handlers, concurrency, false);
        }

        NoDelayTcpServer(InetSocketAddress address, RequestProcessor<StreamRequest> processor) throws IOException {
            super(address, processor, false);
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
