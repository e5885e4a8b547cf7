package io.portside.sample.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;

import io.portside.server.ThreadingTcpServer;

/** The service's hand-over, and the handler on the plain-Java server over loopback. */
class KvServiceTest {

    @Test
    void theSuccessorAdoptsTheLiveMapSoLaterWritesOfTheOldRevisionAreKept() {
        KvService v1 = new KvService();
        KvService v2 = new KvService();
        new KvProtocol(v1Store(v1)).reply("SET a 1");
        v2.takeOverState(v1.handOverState());
        assertSame(v1.handOverState(), v2.handOverState());
        new KvProtocol(v1Store(v1)).reply("SET b 2"); // a connection still draining on v1
        assertEquals(Map.of("a", "1", "b", "2"), v2.handOverState());
    }

    @Test
    void anOlderFormatIsConvertedAndAForeignOneRefused() {
        KvService v2 = new KvService();
        v2.takeOverState(Map.of("a", "1"));
        assertEquals(Map.of("a", "1"), v2.handOverState());
        assertThrows(IllegalArgumentException.class, () -> v2.takeOverState(Map.of("a", new byte[1])));
        assertThrows(IllegalArgumentException.class, () -> v2.takeOverState("a string"));
        assertEquals(Map.of("a", "1"), v2.handOverState(), "kept its own after a refusal");
    }

    private static KvStore v1Store(KvService service) {
        KvStore store = new KvStore();
        store.adopt(service.handOverState()); // the same map the service's handlers write to
        return store;
    }

    @Test
    void servesTheProtocolOverTcp() throws Exception {
        KvService service = new KvService();
        try (ThreadingTcpServer server = new ThreadingTcpServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), service::newHandler)) {
            Thread t = Thread.ofPlatform().daemon().start(() -> {
                try {
                    server.serveForever();
                } catch (IOException ignored) {
                    // closed
                }
            });
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.serverAddress().getPort())) {
                s.setSoTimeout(5000);
                OutputStream out = s.getOutputStream();
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                out.write("SET greeting hello world\r\nGET greeting\nGET nope\nDEL greeting\nBOGUS\n".getBytes(StandardCharsets.UTF_8));
                assertEquals("OK", in.readLine());
                assertEquals("hello world", in.readLine());
                assertEquals("NIL", in.readLine());
                assertEquals("OK", in.readLine());
                assertEquals("ERR unknown command", in.readLine());
                out.write(("SET k " + "v".repeat(5000) + "\nGET k\n").getBytes(StandardCharsets.UTF_8));
                assertEquals("ERR line too long", in.readLine());
                assertEquals("NIL", in.readLine(), "the rest of the long line was skipped, not read as commands");
            }
            server.shutdown();
            t.join(5000);
        }
        assertEquals(new ConcurrentHashMap<>(), service.handOverState());
    }
}
