package io.portside.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Many clients on loopback, each in a loop of: connect, a few request/response exchanges, close. Every reply is
 * checked; every connection records when it began and which handler version answered it.
 */
final class SwapLoad {

    /**
     * One client connection: when its connect began, when it was connected and when its first reply came
     * ({@link System#nanoTime()}, 0 if never), its local port, and the versions its replies came from.
     */
    record Connection(long startNanos, long connectedNanos, long firstReplyNanos, int localPort, List<String> versions) {
    }

    private final int port;
    private final int requestsPerConnection;
    private final Function<String, String> versionOf;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong requests = new AtomicLong();
    private final ConcurrentLinkedQueue<Connection> connections = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
    private final List<Thread> clients = new ArrayList<>();

    /**
     * @param versionOf maps (request, reply) to the version that answered, or null if the reply is wrong;
     *                  it is given {@code request + "\u0000" + reply}
     */
    private SwapLoad(int port, int requestsPerConnection, Function<String, String> versionOf) {
        this.port = port;
        this.requestsPerConnection = requestsPerConnection;
        this.versionOf = versionOf;
    }

    static SwapLoad start(int port, int clients, int requestsPerConnection, Function<String, String> versionOf) {
        SwapLoad load = new SwapLoad(port, requestsPerConnection, versionOf);
        for (int i = 0; i < clients; i++) {
            int id = i;
            load.clients.add(Thread.ofVirtual().name("swap-client-" + i).start(() -> load.run(id)));
        }
        return load;
    }

    private void run(int id) {
        long n = 0;
        while (!stop.get()) {
            long start = System.nanoTime();
            long connected = 0;
            long firstReply = 0;
            int localPort = 0;
            List<String> versions = new ArrayList<>();
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                connected = System.nanoTime();
                localPort = s.getLocalPort();
                s.setSoTimeout(15000);
                OutputStream out = s.getOutputStream();
                InputStream in = s.getInputStream();
                for (int k = 0; k < requestsPerConnection; k++) {
                    String request = "c" + id + "-" + (n++);
                    out.write((request + "\n").getBytes(StandardCharsets.US_ASCII));
                    String reply = HostHarness.readLine(in);
                    if (k == 0) {
                        firstReply = System.nanoTime();
                    }
                    String version = reply == null ? null : versionOf.apply(request + "\u0000" + reply);
                    if (version == null) {
                        errors.add("client " + id + ": request '" + request + "' got '" + reply + "'");
                        break;
                    }
                    versions.add(version);
                    requests.incrementAndGet();
                }
            } catch (IOException e) {
                errors.add("client " + id + ": " + e);
            }
            connections.add(new Connection(start, connected, firstReply, localPort, versions));
        }
    }

    /** Stops the clients (each finishes its connection) and waits for them, at most 30 s. */
    void stop() throws InterruptedException {
        stop.set(true);
        long deadline = System.nanoTime() + 30_000_000_000L;
        for (Thread t : clients) {
            t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        }
    }

    long requests() {
        return requests.get();
    }

    List<String> errors() {
        return List.copyOf(errors);
    }

    List<Connection> connections() {
        return List.copyOf(connections);
    }
}
