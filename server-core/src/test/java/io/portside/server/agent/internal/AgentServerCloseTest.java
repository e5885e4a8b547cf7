package io.portside.server.agent.internal;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The agent port is refused the moment {@code close} returns. {@code @Isolated}: a process another test starts meanwhile
 * makes the JDK's launch helper hold a copy of every descriptor of this JVM until its {@code exec}, which would keep a
 * closed socket listening for those milliseconds (docs/forking.md) and fail this test for a reason not its own.
 */
@Isolated
class AgentServerCloseTest {

    @Test
    void closingStopsListeningAtOnce() throws Exception {
        for (int i = 0; i < 20; i++) { // a close racing the accepting thread used to leave the port open a moment
            AgentServer server = new AgentServer(new InetSocketAddress("127.0.0.1", 0), () -> "up ready\n");
            int port;
            try {
                server.start();
                port = server.awaitPort(Duration.ofSeconds(5));
                assertTrue(port > 0, "not bound");
            } finally {
                server.close();
            }
            assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close());
        }
    }
}
