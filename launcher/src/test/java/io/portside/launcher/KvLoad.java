package io.portside.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Clients of the kv sample, each on a virtual thread in a loop of: connect, a few SET / GET / DEL, close. Each client
 * owns its keys, so it knows every key's last value: a GET that does not return it, an I/O error or an {@code ERR} is
 * a failure. Afterwards {@link #verify} reads every key once more.
 */
final class KvLoad {

    private static final int KEYS_PER_CLIENT = 40;
    private static final int REQUESTS_PER_CONNECTION = 10;

    private final int port;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong writes = new AtomicLong();
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    private final List<Thread> clients = new ArrayList<>();
    /** Per client: key to last value written, null for deleted. Each client's map is its own thread's only until stop. */
    private final List<Map<String, String>> expected = new ArrayList<>();

    private KvLoad(int port) {
        this.port = port;
    }

    static KvLoad start(int port, int clients) {
        KvLoad load = new KvLoad(port);
        for (int i = 0; i < clients; i++) {
            load.expected.add(new HashMap<>());
        }
        for (int i = 0; i < clients; i++) {
            int id = i;
            load.clients.add(Thread.ofVirtual().name("kv-client-" + i).start(() -> load.run(id)));
        }
        return load;
    }

    private void run(int id) {
        SplittableRandom random = new SplittableRandom(id);
        Map<String, String> mine = expected.get(id);
        long seq = 0;
        while (!stop.get()) {
            try (Socket s = connect()) {
                OutputStream out = s.getOutputStream();
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                for (int r = 0; r < REQUESTS_PER_CONNECTION && !stop.get(); r++) {
                    String key = "c" + id + "-k" + random.nextInt(KEYS_PER_CLIENT);
                    int dice = random.nextInt(100);
                    if (dice < 60) {
                        String value = "v" + id + "." + seq++ + " at " + System.nanoTime();
                        check(call(out, in, "SET " + key + " " + value), "OK", key);
                        mine.put(key, value);
                        writes.incrementAndGet();
                    } else if (dice < 95) {
                        check(call(out, in, "GET " + key), orNil(mine.get(key)), key);
                    } else {
                        check(call(out, in, "DEL " + key), mine.containsKey(key) && mine.get(key) != null ? "OK" : "NIL", key);
                        mine.put(key, null);
                        writes.incrementAndGet();
                    }
                }
            } catch (IOException e) {
                failures.add("client " + id + ": " + e);
            }
        }
    }

    private Socket connect() throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        s.setSoTimeout(10_000);
        return s;
    }

    private String call(OutputStream out, BufferedReader in, String line) throws IOException {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        String reply = in.readLine();
        requests.incrementAndGet();
        if (reply == null) {
            throw new IOException("closed before replying to " + line);
        }
        return reply;
    }

    private void check(String reply, String wanted, String key) {
        if (!wanted.equals(reply)) {
            failures.add(key + ": got '" + reply + "', wanted '" + wanted + "'");
        }
    }

    private static String orNil(String value) {
        return value == null ? "NIL" : value;
    }

    /** Stops the clients and waits for them (each ends its exchange first). */
    void stop() throws InterruptedException {
        stop.set(true);
        for (Thread t : clients) {
            t.join(30_000);
            if (t.isAlive()) {
                failures.add(t.getName() + " did not end within 30 s");
            }
        }
    }

    /** After {@link #stop}: reads every key any client wrote; returns how many keys hold a value. */
    long verify() throws IOException {
        long held = 0;
        try (Socket s = connect()) {
            OutputStream out = s.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            for (Map<String, String> mine : expected) {
                for (Map.Entry<String, String> e : mine.entrySet()) {
                    check(call(out, in, "GET " + e.getKey()), orNil(e.getValue()), "after the swap " + e.getKey());
                    held += e.getValue() == null ? 0 : 1;
                }
            }
        }
        return held;
    }

    long requests() {
        return requests.get();
    }

    long writes() {
        return writes.get();
    }

    List<String> failures() {
        return List.copyOf(failures);
    }
}
