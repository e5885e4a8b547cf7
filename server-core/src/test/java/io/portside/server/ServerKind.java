package io.portside.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import io.portside.handler.api.DatagramRequest;
import io.portside.handler.api.RequestHandlerFactory;
import io.portside.handler.api.StreamRequest;
import io.portside.server.concurrency.ConcurrencyModel;

/** Every server type, with a way to build one whose handleError records into {@link Errors}. */
enum ServerKind {
    TCP4, TCP6, UDP4, UDP6, UNIX_STREAM, UNIX_DATAGRAM;

    private static final AtomicInteger SOCKET_FILES = new AtomicInteger();

    boolean isStream() {
        return this == TCP4 || this == TCP6 || this == UNIX_STREAM;
    }

    boolean isUnix() {
        return this == UNIX_STREAM || this == UNIX_DATAGRAM;
    }

    InetSocketAddress loopback() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    /** An address to bind: port 0 on loopback, or a fresh path in {@code dir}. */
    SocketAddress freshAddress(Path dir) {
        return switch (this) {
            case TCP4, UDP4 -> new InetSocketAddress("127.0.0.1", 0);
            case TCP6, UDP6 -> new InetSocketAddress("::1", 0);
            case UNIX_STREAM, UNIX_DATAGRAM -> java.net.UnixDomainSocketAddress.of(
                    dir.resolve("s" + SOCKET_FILES.incrementAndGet() + ".sock"));
        };
    }

    /** An echo server of this kind. */
    BaseServer<?> echoServer(Path dir, ConcurrencyModel model, Errors errors) throws IOException {
        return isStream()
                ? streamServer(dir, model, errors, Handlers.LineEcho::new, true)
                : datagramServer(dir, model, errors, Handlers.DatagramEcho::new, true);
    }

    StreamServer streamServer(Path dir, ConcurrencyModel model, Errors errors, RequestHandlerFactory<StreamRequest> handler,
            boolean bind) throws IOException {
        SocketAddress address = freshAddress(dir);
        return switch (this) {
            case TCP4, TCP6 -> new TcpServer((InetSocketAddress) address, handler, model, bind) {
                @Override
                protected void handleError(StreamRequest request, SocketAddress client, Throwable error) {
                    errors.add(error);
                }
            };
            case UNIX_STREAM -> new UnixStreamServer(((java.net.UnixDomainSocketAddress) address).getPath(), handler, model, bind) {
                @Override
                protected void handleError(StreamRequest request, SocketAddress client, Throwable error) {
                    errors.add(error);
                }
            };
            default -> throw new IllegalStateException(this + " is not a stream kind");
        };
    }

    DatagramServer datagramServer(Path dir, ConcurrencyModel model, Errors errors,
            RequestHandlerFactory<DatagramRequest> handler, boolean bind) throws IOException {
        SocketAddress address = freshAddress(dir);
        return switch (this) {
            case UDP4, UDP6 -> new UdpServer((InetSocketAddress) address, handler, model, bind) {
                @Override
                protected void handleError(DatagramRequest request, SocketAddress client, Throwable error) {
                    errors.add(error);
                }
            };
            case UNIX_DATAGRAM -> new UnixDatagramServer(((java.net.UnixDomainSocketAddress) address).getPath(), handler, model, bind) {
                @Override
                protected void handleError(DatagramRequest request, SocketAddress client, Throwable error) {
                    errors.add(error);
                }
            };
            default -> throw new IllegalStateException(this + " is not a datagram kind");
        };
    }
}
