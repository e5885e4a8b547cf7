package io.portside.server.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The agent port on loopback: an answer at once whatever the peer sends or withholds, bounded under a flood. */
class AgentServerTest {

    private final AtomicReference<String> line = new AtomicReference<>("up ready\n");
    private AgentServer server;

    @AfterEach
    void close() {
        if (server != null) {
            server.close();
        }
    }

    private int start() throws InterruptedException {
        server = new AgentServer(new InetSocketAddress("127.0.0.1", 0), line::get);
        server.start();
        int port = server.awaitPort(Duration.ofSeconds(5));
        assertTrue(port > 0, "not bound");
        return port;
    }

    /** Everything the agent sends before it closes its side. */
    private static String probe(int port, String send) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            if (send != null) {
                s.getOutputStream().write(send.getBytes(StandardCharsets.US_ASCII));
            }
            return readAll(s.getInputStream());
        }
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toString(StandardCharsets.US_ASCII);
    }

    @Test
    void answersAtOnceWithoutWaitingForThePeer() throws Exception {
        int port = start();
        long began = System.nanoTime();
        assertEquals("up ready\n", probe(port, null));
        assertTrue(System.nanoTime() - began < AgentServer.LINGER.toNanos(), "waited for the peer");
        assertEquals("up ready\n", probe(port, "backend/srv1\n"), "an agent-send line is ignored");
    }

    @Test
    void eachConnectionReadsTheStateNow() throws Exception {
        int port = start();
        assertEquals("up ready\n", probe(port, null));
        line.set("up drain #host stopping\n");
        assertEquals("up drain #host stopping\n", probe(port, "x\n"));
    }

    @Test
    void aHugeOrEndlessRequestStillGetsTheReply() throws Exception {
        int port = start();
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            byte[] junk = new byte[64 * 1024];
            java.util.Arrays.fill(junk, (byte) 'A');
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    s.getOutputStream().write(junk);
                } catch (IOException expected) {
                    // the agent stops reading and closes
                }
            });
            assertEquals("up ready\n", readLine(s.getInputStream()));
            writer.join(5000);
        }
    }

    @Test
    void aFloodOfSilentConnectionsIsAnsweredAndPasses() throws Exception {
        int port = start();
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < AgentServer.MAX_CONNECTIONS * 3; i++) {
                Socket s = new Socket("127.0.0.1", port);
                s.setSoTimeout(5000);
                idle.add(s); // never sends, never closes: the first ones hold a permit for at most LINGER
            }
            for (Socket s : idle) {
                assertEquals("up ready\n", readAll(s.getInputStream()), "over the bound too, a probe is answered");
            }
        } finally {
            for (Socket s : idle) {
                s.close();
            }
        }
        Thread.sleep(AgentServer.LINGER.toMillis() + 200);
        assertEquals("up ready\n", probe(port, null), "the bound frees itself");
    }

    @Test
    void aTakenPortIsRetriedUntilFree() throws Exception {
        ServerSocket squatter = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
        int port = squatter.getLocalPort();
        server = new AgentServer(new InetSocketAddress("127.0.0.1", port), line::get);
        server.start();
        assertEquals(-1, server.awaitPort(Duration.ofMillis(300)));
        squatter.close();
        assertEquals(port, server.awaitPort(AgentServer.BIND_RETRY.multipliedBy(3)));
        assertEquals("up ready\n", probe(port, null));
    }

    @Test
    void aFloodThatSendsAnAgentSendLineIsAnsweredToo() throws Exception {
        int port = start();
        List<Socket> probes = new ArrayList<>();
        try {
            for (int i = 0; i < AgentServer.MAX_CONNECTIONS * 3; i++) {
                Socket s = new Socket("127.0.0.1", port);
                s.setSoTimeout(5000);
                s.getOutputStream().write("portside/host1\n".getBytes(StandardCharsets.US_ASCII));
                probes.add(s);
            }
            for (Socket s : probes) {
                assertEquals("up ready\n", readLine(s.getInputStream()), "the line arrives even when the close is a reset");
            }
        } finally {
            for (Socket s : probes) {
                s.close();
            }
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            b.append((char) c);
            if (c == '\n') {
                break;
            }
        }
        return b.toString();
    }
}
