package io.portside.launcher;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A Java client for the file-transfer sample, following seed 004's client step by step, but streaming: the file goes
 * to a sink and through MD5 as it arrives. Also records every byte it received, up to a cap, so tests can check that
 * nothing from outside the root ever came back.
 */
final class FileTransferClient implements AutoCloseable {

    /** The answer to one {@code get}. */
    sealed interface Result permits Fetched, Refused {
    }

    /** A file: its size, the digest of what arrived, and the digest the server sent. */
    record Fetched(long size, String md5, String serverMd5) implements Result {
    }

    /** An error line, without its newline. */
    record Refused(String line) implements Result {
    }

    private static final int TRANSCRIPT_CAP = 1 << 20;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final ByteArrayOutputStream transcript = new ByteArrayOutputStream();

    FileTransferClient(int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
        socket.setSoTimeout(20_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** Sends {@code get <name>} (raw bytes, no newline, as the seed does) and reads the answer; the file goes to {@code sink}. */
    Result get(byte[] command, OutputStream sink) throws IOException {
        out.write(command);
        byte[] first = new byte[1024];
        int n = in.read(first);
        if (n < 0) {
            throw new IOException("the server closed the connection");
        }
        record(first, n);
        String head = new String(first, 0, n, StandardCharsets.UTF_8);
        if (head.startsWith("ERR ")) {
            StringBuilder line = new StringBuilder(head);
            while (line.indexOf("\n") < 0) {
                int c = in.read();
                if (c < 0) {
                    break;
                }
                line.append((char) c);
            }
            return new Refused(line.substring(0, line.indexOf("\n") < 0 ? line.length() : line.indexOf("\n")));
        }
        long size = Long.parseLong(head);
        out.write("read to recv file".getBytes(StandardCharsets.US_ASCII));
        MessageDigest md5 = md5();
        byte[] buffer = new byte[64 * 1024];
        long received = 0;
        while (received < size) {
            int r = in.read(buffer, 0, (int) Math.min(buffer.length, size - received));
            if (r < 0) {
                throw new IOException("EOF after " + received + " of " + size + " bytes");
            }
            record(buffer, r);
            md5.update(buffer, 0, r);
            sink.write(buffer, 0, r);
            received += r;
        }
        byte[] digest = in.readNBytes(32);
        record(digest, digest.length);
        return new Fetched(size, HexFormat.of().formatHex(md5.digest()), new String(digest, StandardCharsets.US_ASCII));
    }

    Result get(String name) throws IOException {
        return get(("get " + name).getBytes(StandardCharsets.UTF_8), OutputStream.nullOutputStream());
    }

    /** Everything received so far (the first MiB). */
    byte[] transcript() {
        return transcript.toByteArray();
    }

    private void record(byte[] b, int n) {
        if (transcript.size() < TRANSCRIPT_CAP) {
            transcript.write(b, 0, Math.min(n, TRANSCRIPT_CAP - transcript.size()));
        }
    }

    static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
