package io.portside.server.forking.internal;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;

import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * The control protocol between the server and a worker: length-prefixed frames over a Unix stream socket. Each
 * frame is written with one {@code write}, so a descriptor attached to it ({@code SCM_RIGHTS}) travels with its
 * first byte. A worker has at most one request in flight, so at most one descriptor is ever unread.
 */
final class Wire {

    // server -> worker
    static final byte INIT = 1;
    static final byte STREAM = 2;
    static final byte DATAGRAM = 3;
    static final byte QUIT = 4;
    // worker -> server
    static final byte HELLO = 10;
    static final byte READY = 11;
    static final byte INIT_FAILED = 12;
    static final byte DONE = 13;

    // DONE outcomes
    static final byte OK = 0;
    /** The handler raised an Exception: reported through handleError; the worker goes on. */
    static final byte EXCEPTION = 1;
    /** The handler raised an Error (ServerExit and the like): the worker exits. */
    static final byte EXIT = 2;

    static final int MAX_FRAME = 1 << 24;
    private static final int MAX_CAUSES = 8;

    private Wire() {
    }

    /** A frame under construction. */
    static final class Frame {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        final DataOutputStream out = new DataOutputStream(bytes);

        Frame(byte type) {
            try {
                out.writeInt(0); // length, patched in bytes()
                out.writeByte(type);
            } catch (IOException impossible) {
                throw new IllegalStateException(impossible);
            }
        }

        byte[] bytes() {
            byte[] b = bytes.toByteArray();
            int length = b.length - 4;
            b[0] = (byte) (length >>> 24);
            b[1] = (byte) (length >>> 16);
            b[2] = (byte) (length >>> 8);
            b[3] = (byte) length;
            return b;
        }

        void writeTo(OutputStream os) throws IOException {
            os.write(bytes());
            os.flush();
        }
    }

    /** Reads one frame: its type byte followed by its body; throws {@link EOFException} at a clean end. */
    static DataInputStream read(InputStream in, byte[] header) throws IOException {
        DataInputStream data = new DataInputStream(in);
        data.readFully(header, 0, 4);
        int length = ((header[0] & 0xff) << 24) | ((header[1] & 0xff) << 16) | ((header[2] & 0xff) << 8) | (header[3] & 0xff);
        if (length < 1 || length > MAX_FRAME) {
            throw new IOException("bad control frame length " + length);
        }
        byte[] body = new byte[length];
        data.readFully(body);
        return new DataInputStream(new java.io.ByteArrayInputStream(body));
    }

    static void writeString(DataOutputStream out, String s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    static String readString(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    static byte[] readBytes(DataInputStream in) throws IOException {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return b;
    }

    // ------------------------------------------------------------------ addresses

    static void writeAddress(DataOutputStream out, SocketAddress address) throws IOException {
        switch (address) {
            case null -> out.writeByte(0);
            // junixsocket's addresses extend InetSocketAddress: test for them first.
            case AFUNIXSocketAddress af -> {
                out.writeByte(3);
                writeBytes(out, af.getPathAsBytes());
            }
            case InetSocketAddress inet -> {
                out.writeByte(1);
                writeBytes(out, inet.getAddress().getAddress());
                out.writeInt(inet.getPort());
                out.writeInt(inet.getAddress() instanceof Inet6Address v6 ? v6.getScopeId() : 0);
            }
            case UnixDomainSocketAddress unix -> {
                out.writeByte(2);
                writeString(out, unix.getPath().toString());
            }
            default -> throw new IOException("cannot send an address of type " + address.getClass().getName() + " to a worker");
        }
    }

    static SocketAddress readAddress(DataInputStream in) throws IOException {
        byte kind = in.readByte();
        return switch (kind) {
            case 0 -> null;
            case 1 -> {
                byte[] raw = readBytes(in);
                int port = in.readInt();
                int scope = in.readInt();
                InetAddress a = raw.length == 16 && scope != 0 ? Inet6Address.getByAddress(null, raw, scope) : InetAddress.getByAddress(raw);
                yield new InetSocketAddress(a, port);
            }
            case 2 -> UnixDomainSocketAddress.of(readString(in));
            case 3 -> AFUNIXSocketAddress.of(readBytes(in));
            default -> throw new IOException("bad address kind " + kind);
        };
    }

    // ------------------------------------------------------------------ failures

    static void writeFailure(DataOutputStream out, Throwable t) throws IOException {
        int depth = 0;
        for (Throwable c = t; c != null && depth < MAX_CAUSES; c = c.getCause() == c ? null : c.getCause(), depth++) {
            out.writeBoolean(true);
            writeString(out, c.getClass().getName());
            writeString(out, c.getMessage());
            StackTraceElement[] frames = c.getStackTrace();
            out.writeInt(frames.length);
            for (StackTraceElement f : frames) {
                writeString(out, f.getClassName());
                writeString(out, f.getMethodName());
                writeString(out, f.getFileName());
                out.writeInt(f.getLineNumber());
            }
        }
        out.writeBoolean(false);
    }

    /** The remote failure as a chain of {@link io.portside.server.forking.WorkerException}s, outermost first. */
    static io.portside.server.forking.WorkerException readFailure(DataInputStream in, long pid) throws IOException {
        java.util.List<String[]> heads = new java.util.ArrayList<>();
        java.util.List<StackTraceElement[]> traces = new java.util.ArrayList<>();
        while (in.readBoolean()) {
            heads.add(new String[] {readString(in), readString(in)});
            StackTraceElement[] frames = new StackTraceElement[in.readInt()];
            for (int i = 0; i < frames.length; i++) {
                frames[i] = new StackTraceElement(readString(in), readString(in), readString(in), in.readInt());
            }
            traces.add(frames);
        }
        io.portside.server.forking.WorkerException e = null;
        for (int i = heads.size() - 1; i >= 0; i--) {
            e = new io.portside.server.forking.WorkerException(heads.get(i)[0], heads.get(i)[1], pid, traces.get(i), e);
        }
        return e;
    }
}
