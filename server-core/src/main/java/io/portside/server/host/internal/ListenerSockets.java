package io.portside.server.host.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;

import io.portside.handler.api.DatagramRequest;
import io.portside.handler.api.StreamRequest;
import io.portside.handler.api.Transport;
import io.portside.server.BaseServer;
import io.portside.server.RequestProcessor;
import io.portside.server.internal.ReuseOptions;

/**
 * The sockets of one listener, each served by a thread of its own: one socket, or (IP endpoints,
 * {@code reuseport.sockets} above 1) several bound to the same address with SO_REUSEPORT, among which the kernel spreads
 * datagrams and connections. They share the listener's pipeline, so its admission, limits, revisions and counters
 * see one listener; closing the listener closes them all.
 *
 * <p>Binding fails closed: if the second or a later socket cannot be bound, the ones bound already are closed and the
 * listener fails as if its first had (one line, retried like any bind failure). Only a platform without SO_REUSEPORT
 * gets one socket instead, with a warning.
 */
final class ListenerSockets {

    private static final System.Logger LOG = System.getLogger("io.portside.host");

    private final List<BaseServer<?>> servers;
    private final AtomicLongArray received;
    private final List<Thread> threads = new ArrayList<>();
    private final List<InlineReceiver> receivers = new ArrayList<>();

    private ListenerSockets(List<BaseServer<?>> servers, AtomicLongArray received) {
        this.servers = List.copyOf(servers);
        this.received = received;
    }

    static boolean isIp(Transport transport) {
        return transport == Transport.TCP || transport == Transport.UDP;
    }

    /** Binds {@code spec.sockets()} sockets (one where SO_REUSEPORT is missing), each passing what it takes to the processors. */
    static ListenerSockets bind(ListenerSpec spec, RequestProcessor<StreamRequest> streams, RequestProcessor<DatagramRequest> datagrams)
            throws IOException {
        int wanted = spec.sockets();
        if (wanted > 1 && !ReuseOptions.reusePortSupported()) {
            LOG.log(Level.WARNING, "Listener {0}: reuseport.sockets={1} needs SO_REUSEPORT, which this platform lacks; binding one socket",
                    spec.name(), String.valueOf(wanted));
            wanted = 1;
        }
        AtomicLongArray received = new AtomicLongArray(wanted);
        List<BaseServer<?>> bound = new ArrayList<>(wanted);
        InetSocketAddress first = null;
        try {
            for (int i = 0; i < wanted; i++) {
                int socket = i;
                RequestProcessor<StreamRequest> s = r -> {
                    received.getAndIncrement(socket);
                    streams.process(r);
                };
                RequestProcessor<DatagramRequest> d = r -> {
                    received.getAndIncrement(socket);
                    datagrams.process(r);
                };
                BaseServer<?> server = bindOne(spec, s, d, first, wanted > 1, i, wanted);
                bound.add(server);
                if (i == 0 && wanted > 1) {
                    first = (InetSocketAddress) server.serverAddress(); // port 0 became a real port: the others join it
                }
            }
        } catch (IOException | RuntimeException e) {
            bound.forEach(BaseServer::serverClose);
            throw e;
        }
        return new ListenerSockets(bound, received);
    }

    private static BaseServer<?> bindOne(ListenerSpec spec, RequestProcessor<StreamRequest> streams,
            RequestProcessor<DatagramRequest> datagrams, InetSocketAddress joined, boolean reusePort, int index, int count)
            throws IOException {
        try {
            return ServerFactory.bind(spec, streams, datagrams, joined, reusePort);
        } catch (IOException e) {
            if (index == 0) {
                throw e;
            }
            // the message keeps the system's words, so BindFailure still tells an address in use from the rest
            BindException failed = new BindException("socket " + (index + 1) + " of " + count + " (reuseport.sockets) on " + joined
                    + " with SO_REUSEPORT: " + e.getMessage());
            failed.initCause(e);
            throw failed;
        }
    }

    /**
     * Starts one serving thread per socket. All carry the one name {@code portside-listener-<listener>}: the launcher's
     * log limiter reads the listener from exactly that shape (a suffix would become part of the name it reads).
     */
    void serve(String listener, ServeLoopRunner runner) {
        for (int i = 0; i < servers.size(); i++) {
            BaseServer<?> server = servers.get(i);
            String name = "portside-listener-" + listener;
            // a datagram socket's thread may serve requests itself, when the model says so (InlineDatagrams)
            InlineReceiver receiver = server.transport().isStream() ? null : new InlineReceiver(server, name);
            if (receiver != null) {
                receivers.add(receiver);
            }
            Thread t = new Thread(() -> {
                if (receiver != null) {
                    receiver.attachToCurrentThread();
                }
                runner.serve(server);
            }, name);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
    }

    /** What serves one socket until it is closed. */
    interface ServeLoopRunner {
        void serve(BaseServer<?> server);
    }

    /** The first socket: its address is the listener's, and a forking model shares it with its workers. */
    BaseServer<?> first() {
        return servers.get(0);
    }

    int count() {
        return servers.size();
    }

    /** Requests (connections or datagrams) each socket has taken, in socket order. */
    long[] received() {
        long[] out = new long[received.length()];
        for (int i = 0; i < out.length; i++) {
            out[i] = received.get(i);
        }
        return out;
    }

    /** Closes every socket: none takes anything more. Idempotent. */
    void close() {
        servers.forEach(BaseServer::serverClose);
        receivers.forEach(InlineReceiver::close);
    }

    /** Waits up to {@code millis} in all for the serving threads to end. */
    void join(long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000;
        for (Thread t : threads) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return;
            }
            try {
                t.join(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
