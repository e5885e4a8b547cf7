package io.portside.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.portside.handler.api.ReplySocket;
import io.portside.handler.api.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import org.junit.jupiter.api.Test;

class ReceivedDatagramTest {

    /** A shared socket that sends nothing, or fails when asked to. */
    private static final class FakeSocket implements ReplySocket {
        boolean fail;

        @Override
        public void sendTo(byte[] data, int offset, int length, SocketAddress target) throws IOException {
            if (fail) {
                throw new IOException("no buffer space");
            }
        }

        @Override
        public SocketAddress localAddress() {
            return new InetSocketAddress("127.0.0.1", 9999);
        }

        @Override
        public Transport transport() {
            return Transport.UDP;
        }
    }

    @Test
    void repliesSentThroughTheRequestsSocketCountAsItsBytesOut() throws IOException {
        FakeSocket shared = new FakeSocket();
        ReceivedDatagram request = new ReceivedDatagram(new byte[5], shared);
        SocketAddress client = new InetSocketAddress("127.0.0.1", 40000);
        request.socket().sendTo(new byte[10], 2, 7, client);
        request.socket().sendTo(new byte[3], 0, 3, client);
        shared.fail = true;
        assertThrows(IOException.class, () -> request.socket().sendTo(new byte[4], 0, 4, client));
        assertEquals(5, request.bytesIn());
        assertEquals(10, request.bytesOut(), "7 + 3; the failed send is not counted");
        assertSame(Transport.UDP, request.socket().transport());
        assertEquals(0, new ReceivedDatagram(new byte[1], shared).bytesOut(), "each request counts its own replies");
    }
}
