package io.portside.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Clients through a load balancer, each on a virtual thread in a loop of: connect from its own loopback source
 * address, send one line, read the upper-cased reply, close. A client from {@link FleetHost#DENIED} must be closed
 * without a reply; every other client must get its reply. Anything else is a failure, counted exactly and the first
 * ones described.
 */
final class FleetLoad {

    private static final int DESCRIBED = 20;

    private final int port;
    private final Duration pause;
    private final long began = System.nanoTime();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong served = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final ConcurrentLinkedQueue<String> described = new ConcurrentLinkedQueue<>();
    private final List<Thread> clients = new ArrayList<>();

    private FleetLoad(int port, Duration pause) {
        this.port = port;
        this.pause = pause;
    }

    /** Starts one client per entry of {@code sources} (its source address), each pausing {@code pause} between requests. */
    static FleetLoad start(int port, List<String> sources, Duration pause) {
        FleetLoad load = new FleetLoad(port, pause);
        for (int i = 0; i < sources.size(); i++) {
            int id = i;
            String source = sources.get(i);
            load.clients.add(Thread.ofVirtual().name("fleet-client-" + i).start(() -> load.run(id, source)));
        }
        return load;
    }

    /** {@code count} sources: {@code denied} of them {@link FleetHost#DENIED}, the rest spread over 127.0.0.10 to .14. */
    static List<String> sources(int count, int denied) {
        List<String> sources = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            sources.add(i < denied ? FleetHost.DENIED : "127.0.0." + (10 + i % 5));
        }
        return sources;
    }

    private void run(int id, String source) {
        boolean denied = source.equals(FleetHost.DENIED);
        for (long n = 0; !stop.get(); n++) {
            String request = "c" + id + "-" + n;
            String reply;
            try {
                reply = exchange(source, request);
            } catch (IOException e) {
                fail(source, request, e.toString());
                continue;
            }
            if (denied) {
                if (reply == null) {
                    refused.incrementAndGet();
                } else {
                    fail(source, request, "served although denied: " + reply);
                }
            } else if (request.toUpperCase().equals(reply)) {
                served.incrementAndGet();
            } else {
                fail(source, request, reply == null ? "closed without a reply" : "wrong reply " + reply);
            }
            pause();
        }
    }

    /** One connection: the reply line, or null if the connection ended (EOF or reset) before any reply. */
    private String exchange(String source, String request) throws IOException {
        try (Socket s = new Socket()) {
            s.setReuseAddress(true); // the source port of an earlier connection may still be in TIME_WAIT
            s.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(15_000);
            s.getOutputStream().write((request + "\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            try {
                return HostHarness.readLine(in);
            } catch (java.net.SocketException reset) {
                return null;
            }
        }
    }

    private void fail(String source, String request, String what) {
        if (failures.incrementAndGet() <= DESCRIBED) {
            described.add(String.format("%.3f s: %s from %s: %s", (System.nanoTime() - began) / 1e9, request, source, what));
        }
    }

    private void pause() {
        if (!pause.isZero()) {
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop.set(true);
            }
        }
    }

    /** Stops the clients and waits for their last requests. */
    void stop() throws InterruptedException {
        stop.set(true);
        for (Thread t : clients) {
            t.join(TimeUnit.SECONDS.toMillis(30));
        }
    }

    long served() {
        return served.get();
    }

    long refused() {
        return refused.get();
    }

    long failures() {
        return failures.get();
    }

    /** The first failures, with when they happened (seconds since the start) and what went wrong. */
    List<String> described() {
        return List.copyOf(described);
    }

    /** "N requests: S served, R refused (denied source), F failed". */
    String summary() {
        return (served() + refused() + failures()) + " requests: " + served() + " served, " + refused() + " refused (denied source "
                + FleetHost.DENIED + "), " + failures() + " failed";
    }
}
