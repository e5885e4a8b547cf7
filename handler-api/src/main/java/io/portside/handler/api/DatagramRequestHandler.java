package io.portside.handler.api;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Python's {@code DatagramRequestHandler}: {@link #rfile} reads the datagram, whatever the handler writes
 * to {@link #wfile} is sent back to the client as one datagram from {@link #finish()}.
 *
 * <p>The reply is sent even when it is empty, and also when {@code handle} threw (the partial reply goes
 * out first, then the error is reported), as in CPython. A client with no address (an unbound Unix
 * datagram socket) cannot be answered: the reply is skipped; the server logs such clients.
 */
@ConsumerType
public abstract class DatagramRequestHandler extends BaseRequestHandler<DatagramRequest> {

    /** The datagram's bytes. */
    protected byte[] packet;
    /** The server's socket, to send from. */
    protected ReplySocket socket;
    /** Reads the datagram. */
    protected ByteArrayInputStream rfile;
    /** Collects the reply. */
    protected ReplyBuffer wfile;

    @Override
    protected void setup() throws Exception {
        packet = request.packet();
        socket = request.socket();
        rfile = new ByteArrayInputStream(packet);
        wfile = new ReplyBuffer();
    }

    @Override
    protected void finish() throws Exception {
        if (clientAddress != null) {
            wfile.sendTo(socket, clientAddress);
        }
    }

    /** The reply buffer: sends its bytes without copying them. */
    public static final class ReplyBuffer extends ByteArrayOutputStream {
        ReplyBuffer() {
            super(256);
        }

        void sendTo(ReplySocket socket, java.net.SocketAddress target) throws java.io.IOException {
            socket.sendTo(buf, 0, count, target);
        }
    }
}
