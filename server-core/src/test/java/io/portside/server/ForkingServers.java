package io.portside.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.portside.handler.api.DatagramRequest;
import io.portside.handler.api.StreamRequest;
import io.portside.server.forking.ForkingModel;
import io.portside.server.forking.ForkingOptions;
import io.portside.server.forking.ForkingTcpServer;
import io.portside.server.forking.ForkingUdpServer;
import io.portside.server.forking.ForkingUnixDatagramServer;
import io.portside.server.forking.ForkingUnixStreamServer;
import io.portside.server.forking.HandlerClass;

/** Forking servers of every kind for the tests, with handleError recording into {@link Errors}. */
final class ForkingServers {

    /** Small and quick: one prestarted worker, a short wait for a free one. */
    static final ForkingOptions TEST_OPTIONS = ForkingOptions.defaults().withMinIdle(1).withMaxChildren(4)
            .withWorkerWait(Duration.ofSeconds(30)).withStartupTimeout(Duration.ofSeconds(60));

    private ForkingServers() {
    }

    static BaseServer<?> echo(ServerKind kind, Path dir, Errors errors) throws IOException {
        return create(kind, dir, errors, HandlerClass.of(kind.isStream() ? Handlers.LineEcho.class : Handlers.DatagramEcho.class), TEST_OPTIONS);
    }

    static BaseServer<?> create(ServerKind kind, Path dir, Errors errors, HandlerClass handler, ForkingOptions options) throws IOException {
        SocketAddress address = kind.freshAddress(dir);
        return switch (kind) {
            case TCP4, TCP6 -> new ForkingTcpServer((InetSocketAddress) address, handler, options, true) {
                @Override
                protected void handleError(StreamRequest request, SocketAddress client, Throwable error) {
                    errors.add(error);
                }
            };
            case UNIX_STREAM -> new ForkingUnixStreamServer(((UnixDomainSocketAddress) address).getPath(), handler, options, true) {
                @Override
                protected void handleError(StreamRequest request, SocketAddress client, Throwable error) {
                    errors.add(error);
                }
            };
            case UDP4, UDP6 -> new ForkingUdpServer((InetSocketAddress) address, handler, options, true) {
                @Override
                protected void handleError(DatagramRequest request, SocketAddress client, Throwable error) {
                    errors.add(error);
                }
            };
            case UNIX_DATAGRAM -> new ForkingUnixDatagramServer(((UnixDomainSocketAddress) address).getPath(), handler, options, true) {
                @Override
                protected void handleError(DatagramRequest request, SocketAddress client, Throwable error) {
                    errors.add(error);
                }
            };
        };
    }

    static ForkingModel model(BaseServer<?> server) {
        return (ForkingModel) server.concurrency();
    }

    /** Waits (bounded) until none of {@code processes} is alive. */
    static void assertAllGone(List<ProcessHandle> processes, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        for (ProcessHandle p : processes) {
            while (p.isAlive()) {
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError("worker pid " + p.pid() + " is still alive after " + limit.toMillis() + " ms");
                }
                Thread.sleep(20);
            }
        }
    }
}
