package io.portside.launcher;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * The host's control socket, {@code <home>/control/portside.sock} ({@code rw-------} in an owner-only folder), which
 * {@code portside status}, {@code top} and {@code stop} talk to ({@link ControlRequest}). It is bounded so that it can
 * never weigh on the host: one request per connection, at most {@value ControlRequest#MAX_LINE} bytes read, every
 * exchange done within {@link #EXCHANGE_TIMEOUT}, and {@value #MAX_CLIENTS} clients at once (more are turned away). The
 * peer's user is checked as well as the file's mode: only the host's own user (or root) is answered.
 */
final class ControlServer implements AutoCloseable {

    static final int MAX_CLIENTS = 4;
    static final Duration EXCHANGE_TIMEOUT = Duration.ofSeconds(5);

    private static final System.Logger LOG = System.getLogger("io.portside.launcher");

    private final ServerSocketChannel server;
    private final Path socket;
    private final Supplier<HostStatus> status;
    private final Runnable observe;
    private final Runnable stop;
    private final String owner;
    private final Semaphore clients = new Semaphore(MAX_CLIENTS);
    private final ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "portside-control-watch"));
    /** Connections that asked to stop: left open, so their clients see the host's end as the connection's end. */
    private final List<SocketChannel> stopWaiters = new CopyOnWriteArrayList<>();

    private ControlServer(ServerSocketChannel server, Path socket, Supplier<HostStatus> status, Runnable observe, Runnable stop)
            throws IOException {
        this.server = server;
        this.socket = socket;
        this.status = status;
        this.observe = observe;
        this.stop = stop;
        this.owner = Files.getOwner(socket).getName();
    }

    /**
     * Opens the socket under {@code home} (replacing a crashed host's; the caller holds the {@link HostLock}) and serves
     * it. {@code status} answers a status request, {@code observe} runs every second (to notice failures between
     * requests), {@code stop} is what SIGTERM does. Returns empty, having said why, when the socket cannot be made: the
     * host then runs without one.
     */
    static Optional<ControlServer> start(Path home, Supplier<HostStatus> status, Runnable observe, Runnable stop) {
        Path socket = ControlFiles.socket(home);
        try {
            HomeFolders.createOwnerOnly(socket.getParent());
            HomeFolders.restrict(socket.getParent());
            Files.deleteIfExists(socket);
            ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                server.bind(UnixDomainSocketAddress.of(socket), MAX_CLIENTS);
                if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                    Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
                }
                ControlServer control = new ControlServer(server, socket, status, observe, stop);
                control.watch.scheduleWithFixedDelay(control::observeQuietly, 1, 1, TimeUnit.SECONDS);
                daemon(control::acceptLoop, "portside-control").start();
                return Optional.of(control);
            } catch (IOException | RuntimeException e) {
                server.close();
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "No control socket at {0} ({1}): portside status, top and stop will not reach this host", socket,
                    String.valueOf(e));
            return Optional.empty();
        }
    }

    private void observeQuietly() {
        try {
            observe.run();
        } catch (RuntimeException e) {
            // the framework is stopping; the next look or the next status tells
        }
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed at stop
            }
            if (!clients.tryAcquire()) {
                answerAndClose(client, ControlRequest.ERROR + " busy, try again\n");
                continue;
            }
            daemon(() -> {
                try {
                    serve(client);
                } finally {
                    clients.release();
                }
            }, "portside-control-client").start();
        }
    }

    private void serve(SocketChannel client) {
        boolean keepOpen = false;
        ChannelDeadline deadline = new ChannelDeadline(client, EXCHANGE_TIMEOUT);
        try {
            if (!trusted(client)) {
                write(client, ControlRequest.ERROR + " only the host's user may use this socket\n");
                return;
            }
            Optional<ControlRequest> request = ControlRequest.parse(readLine(client));
            if (request.isEmpty()) {
                write(client, ControlRequest.ERROR + " unknown request (status, status json, stop)\n");
                return;
            }
            switch (request.get()) {
                case STATUS -> write(client, StatusTable.render(status.get()));
                case STATUS_JSON -> write(client, StatusJson.write(status.get()) + "\n");
                case STOP -> {
                    write(client, ControlRequest.STOPPING + " " + ProcessHandle.current().pid() + "\n");
                    deadline.close();
                    stopWaiters.add(client);
                    keepOpen = true;
                    LOG.log(Level.INFO, "Stop asked on the control socket");
                    stop.run();
                }
            }
        } catch (IOException e) {
            // the client went away or was too slow: nothing to answer
        } catch (RuntimeException e) {
            answerAndClose(client, ControlRequest.ERROR + " " + e.getMessage() + "\n");
        } finally {
            deadline.close();
            if (!keepOpen) {
                closeQuietly(client);
            }
        }
    }

    private boolean trusted(SocketChannel client) throws IOException {
        UnixDomainPrincipal peer = client.getOption(ExtendedSocketOptions.SO_PEERCRED);
        String user = peer.user().getName();
        return user.equals(owner) || user.equals("root");
    }

    /** The request line: up to a newline or the end of input, at most {@value ControlRequest#MAX_LINE} bytes. */
    private static String readLine(SocketChannel client) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(ControlRequest.MAX_LINE);
        while (buf.hasRemaining() && client.read(buf) >= 0) {
            if (buf.array()[buf.position() - 1] == '\n') {
                break;
            }
        }
        String line = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
        int nl = line.indexOf('\n');
        return nl < 0 ? line : line.substring(0, nl);
    }

    private static void write(SocketChannel client, String text) throws IOException {
        ByteBuffer out = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (out.hasRemaining()) {
            client.write(out);
        }
    }

    private static void answerAndClose(SocketChannel client, String text) {
        ChannelDeadline deadline = new ChannelDeadline(client, EXCHANGE_TIMEOUT);
        try {
            write(client, text);
        } catch (IOException e) {
            // gone already
        } finally {
            deadline.close();
            closeQuietly(client);
        }
    }

    /** Stops answering and removes the socket file; clients waiting for the stop keep their connections to the end. */
    @Override
    public void close() {
        watch.shutdownNow();
        closeQuietly(server);
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "Could not remove the control socket {0}: {1}", socket, String.valueOf(e));
        }
    }

    private static void closeQuietly(java.nio.channels.Channel c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // nothing more to do
        }
    }

    private static Thread daemon(Runnable r, String name) {
        return Thread.ofPlatform().daemon().name(name).unstarted(r);
    }
}
