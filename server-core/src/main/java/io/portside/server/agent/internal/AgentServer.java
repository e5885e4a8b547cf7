package io.portside.server.agent.internal;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Serves the agent port: each connection gets one reply line at once, without waiting for what the peer sends
 * (HAProxy's {@code agent-send} string, or nothing), then the host closes its side. What the peer sends is read and
 * thrown away for at most {@link #LINGER}, only so that the close is a FIN, not a reset that could cost HAProxy the
 * reply. Hostile-safe by bounds: at most {@link #MAX_CONNECTIONS} connections linger so; over it the acceptor writes
 * the reply and closes at once (a few bytes into an empty send buffer never block), so a flood costs no thread and
 * cannot starve HAProxy's probes. One platform thread accepts; lingering runs on virtual threads; nothing here waits
 * on the host.
 */
final class AgentServer implements AutoCloseable {

    static final int MAX_CONNECTIONS = 32;
    static final Duration LINGER = Duration.ofSeconds(1);
    static final Duration BIND_RETRY = Duration.ofSeconds(2);
    private static final int DISCARD_LIMIT = 4096;
    private static final System.Logger LOG = System.getLogger("io.portside.agent");

    private final InetSocketAddress endpoint;
    private final Supplier<String> reply;
    private final Semaphore permits = new Semaphore(MAX_CONNECTIONS);
    private final CountDownLatch bound = new CountDownLatch(1);
    private final Thread acceptor;
    private volatile ServerSocket socket;
    private volatile boolean closed;

    /** @param reply the line to send, ended by a line feed; computed for each connection */
    AgentServer(InetSocketAddress endpoint, Supplier<String> reply) {
        this.endpoint = endpoint;
        this.reply = reply;
        this.acceptor = new Thread(this::serve, "portside-agent");
        acceptor.setDaemon(true);
    }

    void start() {
        acceptor.start();
    }

    /** The port bound, waiting up to {@code timeout} for the bind; -1 if not bound by then. */
    int awaitPort(Duration timeout) throws InterruptedException {
        return bound.await(timeout.toMillis(), TimeUnit.MILLISECONDS) && socket != null ? socket.getLocalPort() : -1;
    }

    /** Stops listening; returns once the accepting thread has let go of the socket (the port is closed then). */
    @Override
    public void close() {
        closed = true;
        acceptor.interrupt();
        closeQuietly(socket);
        try {
            // The JDK closes a socket that a thread is blocked accepting on only when that thread returns.
            acceptor.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void serve() {
        ServerSocket s = bindWithRetries();
        if (s == null) {
            return;
        }
        while (!closed) {
            try {
                Socket peer = s.accept();
                if (permits.tryAcquire()) {
                    Thread.ofVirtual().name("portside-agent-reply").start(() -> answer(peer));
                } else {
                    answerAndClose(peer); // a flood: answered, but it holds no thread and no socket
                }
            } catch (IOException e) {
                if (!closed) {
                    LOG.log(Level.DEBUG, "Agent accept failed: {0}", String.valueOf(e));
                }
            }
        }
    }

    /** Binds, trying again every {@link #BIND_RETRY} while the port is taken (logged once); null once closed. */
    private ServerSocket bindWithRetries() {
        boolean logged = false;
        while (!closed) {
            ServerSocket s = null;
            try {
                s = new ServerSocket();
                s.setReuseAddress(true);
                s.bind(endpoint, 64);
                socket = s;
                if (closed) {
                    closeQuietly(s);
                    return null;
                }
                bound.countDown();
                LOG.log(Level.INFO, "Health agent listening on tcp://{0}:{1}", s.getInetAddress().getHostAddress(),
                        String.valueOf(s.getLocalPort()));
                return s;
            } catch (IOException e) {
                closeQuietly(s);
                if (!logged) {
                    LOG.log(Level.ERROR, "Health agent cannot listen on {0}: {1}; trying again every {2} s", endpoint, e.getMessage(),
                            BIND_RETRY.toSeconds());
                    logged = true;
                }
                try {
                    Thread.sleep(BIND_RETRY.toMillis());
                } catch (InterruptedException stop) {
                    return null;
                }
            }
        }
        return null;
    }

    private void answer(Socket peer) {
        try (peer) {
            peer.getOutputStream().write(reply.get().getBytes(StandardCharsets.US_ASCII));
            peer.shutdownOutput();
            discardInput(peer);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.DEBUG, "Agent reply to {0} failed: {1}", peer.getRemoteSocketAddress(), String.valueOf(e));
        } finally {
            permits.release();
        }
    }

    private void answerAndClose(Socket peer) {
        try (peer) {
            peer.getOutputStream().write(reply.get().getBytes(StandardCharsets.US_ASCII));
            peer.shutdownOutput();
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.DEBUG, "Agent reply to {0} failed: {1}", peer.getRemoteSocketAddress(), String.valueOf(e));
        }
    }

    /** Reads what the peer sent until it closes, {@link #DISCARD_LIMIT} bytes or {@link #LINGER}, whichever first. */
    private static void discardInput(Socket peer) throws IOException {
        long deadline = System.nanoTime() + LINGER.toNanos();
        InputStream in = peer.getInputStream();
        byte[] buffer = new byte[512];
        int total = 0;
        while (total < DISCARD_LIMIT) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                return;
            }
            peer.setSoTimeout((int) left);
            int n;
            try {
                n = in.read(buffer);
            } catch (SocketTimeoutException slow) {
                return;
            }
            if (n < 0) {
                return;
            }
            total += n;
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }
}
