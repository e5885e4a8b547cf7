package io.portside.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Out of descriptors at accept (EMFILE): the serve loop closes each pending connection at once with its spare
 * descriptor, so the client reads EOF instead of waiting in a backlog that fills, and serves again once descriptors
 * are free. Made real in a child JVM whose limit is 256 ({@code sh -c 'ulimit -n 256 && exec java ...'}).
 */
class SpareDescriptorTest {

    @Test
    void exhaustionIsRecognizedByTheJdksMessage() {
        assertTrue(SpareDescriptor.isExhaustion(new IOException("Too many open files")));
        assertTrue(SpareDescriptor.isExhaustion(new IOException("Too many open files in system")));
        assertTrue(!SpareDescriptor.isExhaustion(new IOException("Connection reset by peer")));
        assertTrue(!SpareDescriptor.isExhaustion(new IOException("Too many open files (simulated)")), "not from accept");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void outOfDescriptorsPendingClientsReadEofAtOnce() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        String line = "ulimit -n 256 && exec '" + java + "' -cp '" + System.getProperty("java.class.path") + "' "
                + EmfileServerMain.class.getName();
        Process child = new ProcessBuilder("sh", "-c", line).redirectErrorStream(true).start();
        List<String> output = Collections.synchronizedList(new ArrayList<>());
        Thread reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                    output.add(l);
                }
            } catch (IOException ignored) {
                // the child ended
            }
        });
        try {
            int port = Integer.parseInt(await(output, "PORT ").substring(5).trim());
            await(output, "EXHAUSTED ");
            for (int i = 0; i < 5; i++) {
                long start = System.nanoTime();
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
                    s.setSoTimeout(2000);
                    assertEquals(-1, s.getInputStream().read(), "closed without a byte");
                } catch (SocketTimeoutException e) {
                    throw new AssertionError("out of descriptors, the connection was left in the backlog:\n" + String.join("\n", output), e);
                }
                long ms = (System.nanoTime() - start) / 1_000_000;
                System.out.println("EMFILE: client " + i + " read EOF after " + ms + " ms");
                assertTrue(ms < 1000, "EOF at once, not after a back-off: " + ms + " ms");
            }
            // the child logs the shedding after it closed the connections: its line may come after the clients' EOF
            awaitLine(output, l -> l.contains("with the spare descriptor"), "a line about the spare descriptor");

            OutputStream stdin = child.getOutputStream();
            stdin.write("free\n".getBytes(StandardCharsets.UTF_8));
            stdin.flush();
            await(output, "FREED");
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
                s.setSoTimeout(5000);
                assertEquals('h', s.getInputStream().read(), "served again once descriptors are free");
            }
        } finally {
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
            reader.join(2000);
        }
    }

    private static String await(List<String> output, String prefix) throws InterruptedException {
        return awaitLine(output, l -> l.startsWith(prefix), "'" + prefix + "'");
    }

    private static String awaitLine(List<String> output, Predicate<String> wanted, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            synchronized (output) {
                for (String l : output) {
                    if (wanted.test(l)) {
                        return l;
                    }
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the child printed no " + what + ":\n" + String.join("\n", output));
    }
}
