package io.portside.server.forking.internal;

import java.io.ByteArrayInputStream;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.reflect.Constructor;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

import io.portside.handler.api.BaseRequestHandler;
import io.portside.handler.api.RequestHandlerFactory;
import io.portside.handler.api.SocketServer;
import io.portside.handler.api.StreamRequest;
import io.portside.handler.api.Transport;
import io.portside.server.internal.ChannelReplySocket;
import io.portside.server.internal.ChannelStreamRequest;
import io.portside.server.internal.StreamLimits;
import io.portside.server.proxy.internal.ProxyHeaderReader;
import io.portside.server.proxy.internal.ProxyMode;
import io.portside.server.internal.ReceivedDatagram;

/**
 * The worker process: connects back to the server over its control socket, loads the handler class, then serves one
 * request at a time on its main thread, as the forked child of Python's {@code ForkingMixIn} serves its one request:
 * finish the request; an {@link Exception} is sent back for the server's {@code handleError} and the worker goes on;
 * an {@link Error} ({@code ServerExit}, ...) ends the worker; the request is always shut down here.
 *
 * <p>It never outlives the server: its standard input is a pipe only the server holds, so the server's death, even
 * by {@code kill -9}, is end-of-file here; a second watcher checks the parent process every second.
 *
 * <p>Arguments: the control socket path and the worker's number; the first line of standard input is its token.
 */
public final class WorkerMain {

    /** Exit status of a worker whose handler raised an Error, as the forked child's {@code os._exit(1)}. */
    static final int EXIT_HANDLER_ERROR = 1;
    /** Exit status when the handler class cannot be loaded. */
    static final int EXIT_INIT_FAILED = 2;
    /** Exit status when the server went away. */
    static final int EXIT_ORPHANED = 0;

    private WorkerMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: WorkerMain CONTROL_SOCKET WORKER_NUMBER (started by a forking server, not by hand)");
            System.exit(64);
        }
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        String token = stdin.readLine();
        if (token == null) {
            Runtime.getRuntime().halt(EXIT_ORPHANED);
        }
        watchParent(stdin);

        AFUNIXSocket control = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(Path.of(args[0])));
        control.setAncillaryReceiveBufferSize(256);
        InputStream in = control.getInputStream();
        OutputStream out = control.getOutputStream();
        Wire.hello(Long.parseLong(token), ProcessHandle.current().pid()).writeTo(out);
        serve(init(control, in, out), control, in, out);
    }

    /** Reads INIT and loads the handler class; answers READY, or INIT_FAILED and exits. */
    private static Worker init(AFUNIXSocket control, InputStream in, OutputStream out) throws IOException {
        Worker worker;
        try {
            worker = Worker.init(Wire.Init.read(Wire.read(in, new byte[4])), control);
        } catch (Exception | LinkageError e) {
            Wire.initFailed(String.valueOf(e)).writeTo(out);
            Runtime.getRuntime().halt(EXIT_INIT_FAILED);
            return null;
        }
        new Wire.Frame(Wire.READY).writeTo(out);
        return worker;
    }

    /** Serves one request per frame until QUIT, or until the server is gone. */
    private static void serve(Worker worker, AFUNIXSocket control, InputStream in, OutputStream out) throws IOException {
        byte[] header = new byte[4];
        while (true) {
            DataInputStream frame;
            try {
                frame = Wire.read(in, header);
            } catch (EOFException serverGone) {
                Runtime.getRuntime().halt(EXIT_ORPHANED);
                return;
            }
            byte type = frame.readByte();
            switch (type) {
                case Wire.STREAM, Wire.DATAGRAM -> {
                    Wire.Request request = Wire.Request.read(frame, type);
                    Throwable failure = type == Wire.STREAM ? worker.serveStream(request.client(), request.limits(), request.proxyHeader(), control)
                            : worker.serveDatagram(request.client(), request.packet());
                    Wire.done(request.id(), failure).writeTo(out);
                    if (Wire.Outcome.of(failure) == Wire.Outcome.EXIT) {
                        // Python's child ends with os._exit(1) after a BaseException: no cleanup, nothing else served.
                        System.out.flush();
                        System.err.flush();
                        Runtime.getRuntime().halt(EXIT_HANDLER_ERROR);
                    }
                }
                case Wire.QUIT -> System.exit(0);
                default -> throw new IOException("unexpected control frame " + type);
            }
        }
    }

    /** Exits as soon as the server is gone: standard input reaches EOF, or the parent process changes. */
    private static void watchParent(BufferedReader stdin) {
        Thread eof = new Thread(() -> {
            try {
                while (stdin.read() >= 0) {
                    // the server never writes more; wait for EOF
                }
            } catch (IOException ignored) {
                // same as EOF
            }
            Runtime.getRuntime().halt(EXIT_ORPHANED);
        }, "portside-worker-stdin");
        eof.setDaemon(true);
        eof.start();
        long parent = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
        Thread poll = new Thread(() -> {
            while (true) {
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
                ProcessHandle p = ProcessHandle.current().parent().orElse(null);
                if (p == null || p.pid() != parent || !p.isAlive()) {
                    Runtime.getRuntime().halt(EXIT_ORPHANED);
                }
            }
        }, "portside-worker-parent");
        poll.setDaemon(true);
        poll.start();
    }

    /** What a worker serves with: the handler, the server as handlers see it, and for datagrams the reply socket. */
    private record Worker(RequestHandlerFactory<Object> factory, SocketServer server, Transport transport, ProtocolFamily family,
            ChannelReplySocket replySocket) {

        static Worker init(Wire.Init init, AFUNIXSocket control) throws Exception {
            Transport transport = init.transport();
            SocketAddress address = init.address();
            ProtocolFamily family = init.family();
            String className = init.className();
            List<URL> urls = new ArrayList<>();
            for (Path p : init.classPath()) {
                urls.add(p.toUri().toURL());
            }
            ClassLoader system = ClassLoader.getSystemClassLoader();
            ClassLoader loader = urls.isEmpty() ? system : new URLClassLoader("portside-handler", urls.toArray(URL[]::new), system);
            Thread.currentThread().setContextClassLoader(loader);
            RequestHandlerFactory<Object> factory = factory(Class.forName(className, true, loader));
            ChannelReplySocket reply = null;
            if (!transport.isStream()) {
                FileDescriptor[] fds = control.getReceivedFileDescriptors();
                if (fds == null || fds.length != 1) {
                    throw new IOException("the server's datagram socket did not arrive");
                }
                DatagramChannel channel = Descriptors.datagramChannel(fds[0], family);
                reply = new ChannelReplySocket(channel, family, transport, address);
            }
            return new Worker(factory, new WorkerServer(address, transport), transport, family, reply);
        }

        @SuppressWarnings("unchecked")
        private static RequestHandlerFactory<Object> factory(Class<?> type) throws ReflectiveOperationException {
            Constructor<?> constructor = type.getDeclaredConstructor();
            constructor.setAccessible(true);
            if (RequestHandlerFactory.class.isAssignableFrom(type)) {
                return (RequestHandlerFactory<Object>) constructor.newInstance();
            }
            if (!BaseRequestHandler.class.isAssignableFrom(type)) {
                throw new ClassCastException(type.getName() + " is neither a BaseRequestHandler nor a RequestHandlerFactory");
            }
            return () -> {
                try {
                    return (BaseRequestHandler<Object>) constructor.newInstance();
                } catch (java.lang.reflect.InvocationTargetException e) {
                    throw sneaky(e.getCause());
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("cannot instantiate " + type.getName() + ": " + e, e);
                }
            };
        }

        /** One connection: run the handler, then always half-close and close it here (the server holds no copy). */
        Throwable serveStream(SocketAddress client, StreamLimits limits, byte[] proxyHeader, AFUNIXSocket control) throws IOException {
            FileDescriptor[] fds = control.getReceivedFileDescriptors();
            if (fds == null || fds.length != 1) {
                throw new IOException("a connection frame arrived without its descriptor");
            }
            ChannelStreamRequest request = new ChannelStreamRequest(Descriptors.socketChannel(fds[0], family, client), transport);
            request.limits(limits); // the same limits, watched by this process's clock
            if (proxyHeader.length > 0) { // the host read and checked it; the handler here sees it as one in the host would
                request.proxy(ProxyHeaderReader.read(new ByteArrayInputStream(proxyHeader), ProxyMode.ANY), proxyHeader);
            }
            try {
                return run(request, client);
            } finally {
                try {
                    request.shutdownOutput();
                } catch (IOException ignored) {
                    // already gone
                }
                try {
                    request.close();
                } catch (IOException ignored) {
                    // nothing left to release
                }
            }
        }

        Throwable serveDatagram(SocketAddress client, byte[] packet) {
            return run(new ReceivedDatagram(packet, replySocket), client);
        }

        private Throwable run(Object request, SocketAddress client) {
            try {
                factory.newHandler().run(request, client, server);
                return null;
            } catch (Throwable t) {
                return t;
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> RuntimeException sneaky(Throwable t) throws T {
        throw (T) t;
    }

    /** The server as a handler in a worker sees it: its address and transport ({@code self.server} in Python). */
    private record WorkerServer(SocketAddress serverAddress, Transport transport) implements SocketServer {
        @Override
        public String toString() {
            return transport.scheme() + " server " + serverAddress + " (worker pid " + ProcessHandle.current().pid() + ")";
        }
    }
}
