package io.portside.sample.filetransfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A local user who can write inside the root flips {@code files/sub} between a folder and a link to a folder outside,
 * as fast as it can, while clients ask for {@code sub/secret.txt} over and over. Whatever the timing, the outside
 * secret is never sent. Bounded: {@value #CLIENTS} clients, each at most {@value #MAX_REQUESTS} requests, for at most
 * {@value #MAX_MILLIS} ms. (Before the walk opened each folder relative to its parent, this served the secret a few
 * times a second.)
 */
class ConfinementRaceTest {

    private static final int CLIENTS = 4;
    private static final int MAX_REQUESTS = 20_000;
    private static final long MAX_MILLIS = 4_000;
    private static final String OUTSIDE = "OUTSIDE-SECRET-4b1d";
    private static final String INSIDE = "inside";

    @TempDir
    Path tmp;

    private final AtomicInteger outsideServed = new AtomicInteger();
    private final AtomicInteger insideServed = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger flips = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    @Test
    void aFolderFlippedToALinkOutsideNeverLeadsOutside() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), OUTSIDE);
        Path files = Files.createDirectories(tmp.resolve("files"));
        Path sub = Files.createDirectories(files.resolve("sub"));
        Files.writeString(sub.resolve("secret.txt"), INSIDE);

        AtomicBoolean stop = new AtomicBoolean();
        Thread flipper = Thread.ofPlatform().daemon().start(() -> flip(sub, tmp.resolve("parked"), outside, stop));
        // Thousands of refusals would each log a line; the race needs the requests fast.
        Logger log = Logger.getLogger("io.portside.sample.filetransfer");
        Level level = log.getLevel();
        log.setLevel(Level.SEVERE);
        List<Thread> clients = new ArrayList<>();
        try (LoopbackFileServer server = new LoopbackFileServer(files)) {
            long deadline = System.nanoTime() + MAX_MILLIS * 1_000_000;
            for (int i = 0; i < CLIENTS; i++) {
                Socket s = server.connect();
                clients.add(Thread.ofPlatform().daemon().start(() -> request(s, deadline)));
            }
            for (Thread client : clients) {
                client.join(MAX_MILLIS + 15_000);
            }
        } finally {
            log.setLevel(level);
            stop.set(true);
            flipper.join(10_000);
        }
        if (failure.get() != null) {
            throw new AssertionError("a client or the flipper failed", failure.get());
        }
        String counts = "outside " + outsideServed + ", inside " + insideServed + ", refused " + refused + ", flips " + flips;
        assertEquals(0, outsideServed.get(), "the outside secret was served: " + counts);
        assertTrue(flips.get() > 100 && insideServed.get() + refused.get() > 100, "the race ran: " + counts);
    }

    /** Flips {@code sub} (folder, absent, link to {@code outside}, absent, folder) with plain syscalls, fast. */
    private void flip(Path sub, Path parked, Path outside, AtomicBoolean stop) {
        long deadline = System.nanoTime() + (MAX_MILLIS + 5_000) * 1_000_000;
        try {
            while (!stop.get() && System.nanoTime() < deadline) {
                check(sub.toFile().renameTo(parked.toFile()));
                Files.createSymbolicLink(sub, outside);
                check(sub.toFile().delete());
                check(parked.toFile().renameTo(sub.toFile()));
                flips.incrementAndGet();
            }
        } catch (IOException | RuntimeException e) {
            failure.compareAndSet(null, e);
        }
    }

    private static void check(boolean done) throws IOException {
        if (!done) {
            throw new IOException("flip failed");
        }
    }

    /** One client's loop, on its own connection, until the deadline or its request count. */
    private void request(Socket s, long deadline) {
        try (s) {
            for (int i = 0; i < MAX_REQUESTS && System.nanoTime() < deadline; i++) {
                String got = get(s, "sub/secret.txt");
                (got == null ? refused : got.equals(INSIDE) ? insideServed : outsideServed).incrementAndGet();
            }
        } catch (IOException | RuntimeException e) {
            failure.compareAndSet(null, e);
        }
    }

    /** One request with newline-ended lines (so no pause is waited for); the content, or null for an error line. */
    private static String get(Socket s, String name) throws IOException {
        OutputStream out = s.getOutputStream();
        InputStream in = s.getInputStream();
        out.write(("get " + name + "\n").getBytes(StandardCharsets.UTF_8));
        byte[] head = new byte[1024];
        int n = in.read(head);
        if (n < 0) {
            throw new IOException("the server closed the connection");
        }
        StringBuilder first = new StringBuilder(new String(head, 0, n, StandardCharsets.UTF_8));
        if (first.toString().startsWith("ERR ")) {
            for (int c; first.charAt(first.length() - 1) != '\n' && (c = in.read()) >= 0; ) {
                first.append((char) c);
            }
            return null;
        }
        long size = Long.parseLong(first.toString());
        out.write("ok\n".getBytes(StandardCharsets.US_ASCII));
        String content = new String(in.readNBytes((int) size), StandardCharsets.UTF_8);
        in.readNBytes(32);
        return content;
    }
}
