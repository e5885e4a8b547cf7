package io.portside.launcher;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A benchmark, not a test: how a jar swap under load looks to clients. For each swap it reports the time from
 * the rename into {@code deploy/} to the first request served by the new revision, and request latency
 * (p50/p99/max) in the second around the swap against steady state. Prints figures; asserts nothing.
 *
 * <p>Run with {@code benchmarks/swap-latency.sh} (arguments: clients, swaps, deploy poll in ms).
 */
public final class SwapBenchmark {

    private record Sample(long endNanos, long latencyNanos, String version) {
    }

    public static void main(String[] args) throws Exception {
        int clients = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int swaps = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        String poll = args.length > 2 ? args[2] : "500";
        System.setProperty("portside.log.level", "WARNING");
        ConsoleLogging.install();
        Path home = Files.createTempDirectory("portside-swap-bench");
        Path bundles = Path.of(System.getProperty("portside.test.bundles", "launcher/target/test-bundles"));
        try (HostHarness host = HostHarness.start(home, Map.of("felix.fileinstall.poll", poll))) {
            int port = HostHarness.freePort();
            host.writeConfig("io.portside.listener-banner.cfg", "endpoint=tcp://127.0.0.1:" + port + "\nhandler=banner\n");
            host.deploy(bundles.resolve("banner-v1.jar"), "banner.jar");
            HostHarness.awaitAnswer(port, "ready", "v1:ready", java.time.Duration.ofSeconds(20));

            ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> threads = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int id = c;
                threads.add(Thread.ofVirtual().start(() -> client(port, id, stop, samples)));
            }
            Thread.sleep(3000); // warm-up
            samples.clear();
            System.out.printf("swap benchmark: %d clients (connect, 5 requests, close; loop), %d swaps, deploy poll %s ms%n",
                    clients, swaps, poll);
            System.out.printf("%-5s %-10s %18s %22s %22s %12s%n", "swap", "to", "rename->served ms", "steady p50/p99/max ms",
                    "around p50/p99/max ms", "errors");
            List<Double> toServed = new ArrayList<>();
            for (int i = 0; i < swaps; i++) {
                String next = i % 2 == 0 ? "v2" : "v1";
                Thread.sleep(2500); // steady state before the swap
                long renamed = System.nanoTime();
                host.deploy(bundles.resolve("banner-" + next + ".jar"), "banner.jar");
                long firstServed = awaitFirst(samples, next, renamed);
                Thread.sleep(1000);
                List<Sample> all = new ArrayList<>(samples);
                long[] steady = latencies(all, renamed - 2_000_000_000L, renamed - 500_000_000L);
                long[] around = latencies(all, renamed - 500_000_000L, firstServed + 500_000_000L);
                double ms = (firstServed - renamed) / 1e6;
                toServed.add(ms);
                System.out.printf("%-5d %-10s %18.1f %22s %22s %12d%n", i + 1, next, ms, pct(steady), pct(around), ERRORS.get());
            }
            stop.set(true);
            for (Thread t : threads) {
                t.join(10_000);
            }
            double[] sorted = toServed.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            System.out.printf("rename->served: median %.1f ms, max %.1f ms over %d swaps; client errors: %d%n",
                    sorted[sorted.length / 2], sorted[sorted.length - 1], sorted.length, ERRORS.get());
        }
    }

    private static final java.util.concurrent.atomic.AtomicLong ERRORS = new java.util.concurrent.atomic.AtomicLong();

    private static void client(int port, int id, AtomicBoolean stop, ConcurrentLinkedQueue<Sample> samples) {
        long n = 0;
        while (!stop.get()) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                s.setSoTimeout(15000);
                OutputStream out = s.getOutputStream();
                InputStream in = s.getInputStream();
                for (int k = 0; k < 5 && !stop.get(); k++) {
                    String request = "b" + id + "-" + (n++);
                    long start = System.nanoTime();
                    out.write((request + "\n").getBytes(StandardCharsets.US_ASCII));
                    String reply = HostHarness.readLine(in);
                    long end = System.nanoTime();
                    if (reply == null || !reply.endsWith(":" + request)) {
                        ERRORS.incrementAndGet();
                        break;
                    }
                    samples.add(new Sample(end, end - start, reply.substring(0, 2)));
                }
            } catch (Exception e) {
                if (!stop.get()) {
                    ERRORS.incrementAndGet();
                }
            }
        }
    }

    private static long awaitFirst(ConcurrentLinkedQueue<Sample> samples, String version, long since) throws InterruptedException {
        long deadline = since + 30_000_000_000L;
        while (System.nanoTime() - deadline < 0) {
            long first = Long.MAX_VALUE;
            for (Sample s : samples) {
                if (s.version().equals(version) && s.endNanos() - since > 0 && s.endNanos() - s.latencyNanos() - first < 0) {
                    first = s.endNanos() - s.latencyNanos();
                }
            }
            if (first != Long.MAX_VALUE) {
                return first;
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException(version + " never served a request within 30 s of the rename");
    }

    private static long[] latencies(List<Sample> all, long from, long to) {
        return all.stream().filter(s -> s.endNanos() - from >= 0 && to - s.endNanos() > 0).mapToLong(Sample::latencyNanos).sorted().toArray();
    }

    private static String pct(long[] sorted) {
        if (sorted.length == 0) {
            return "-";
        }
        return String.format("%.2f/%.2f/%.1f", sorted[sorted.length / 2] / 1e6, sorted[(int) Math.min(sorted.length - 1, sorted.length * 0.99)] / 1e6,
                sorted[sorted.length - 1] / 1e6);
    }

    private SwapBenchmark() {
    }

}
