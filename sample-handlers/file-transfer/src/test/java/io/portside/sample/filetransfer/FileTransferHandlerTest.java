package io.portside.sample.filetransfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.portside.server.ThreadingTcpServer;

/** The protocol over real loopback connections, on the plain-Java threading server. */
class FileTransferHandlerTest {

    @TempDir
    Path root;
    ThreadingTcpServer server;
    Thread serving;

    @BeforeEach
    void serve() throws Exception {
        Files.writeString(root.resolve("hello.txt"), "hello");
        Files.createDirectories(root.resolve("sub"));
        Files.writeString(root.resolve("sub/nested.txt"), "nested file\n");
        Files.write(root.resolve("empty.bin"), new byte[0]);
        FileRoot fileRoot = new FileRoot(root);
        server = new ThreadingTcpServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), () -> new FileTransferHandler(fileRoot));
        serving = Thread.ofPlatform().daemon().start(() -> {
            try {
                server.serveForever();
            } catch (IOException ignored) {
                // closed
            }
        });
    }

    @AfterEach
    void stop() throws Exception {
        server.shutdown();
        server.close();
        serving.join(5000);
    }

    private Socket connect() throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), server.serverAddress().getPort());
        s.setSoTimeout(10_000);
        return s;
    }

    /** One {@code recv(1024)}, as the seed client reads the size. */
    private static String recv(InputStream in) throws IOException {
        byte[] b = new byte[1024];
        int n = in.read(b);
        return n < 0 ? null : new String(b, 0, n, StandardCharsets.UTF_8);
    }

    private static byte[] readExactly(InputStream in, long n) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] b = new byte[8192];
        while (out.size() < n) {
            int r = in.read(b, 0, (int) Math.min(b.length, n - out.size()));
            if (r < 0) {
                throw new IOException("EOF after " + out.size() + " of " + n + " bytes");
            }
            out.write(b, 0, r);
        }
        return out.toByteArray();
    }

    private static String md5(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
    }

    /** Seed 004's client steps: send the command, read the size, acknowledge, read the file and the digest. */
    private static byte[] get(Socket s, String command) throws Exception {
        OutputStream out = s.getOutputStream();
        InputStream in = s.getInputStream();
        out.write(command.getBytes(StandardCharsets.UTF_8));
        String size = recv(in);
        assertTrue(size != null && size.matches("\\d+"), "size expected, got " + size);
        out.write("read to recv file".getBytes(StandardCharsets.US_ASCII));
        byte[] content = readExactly(in, Long.parseLong(size));
        String digest = new String(readExactly(in, 32), StandardCharsets.US_ASCII);
        assertEquals(md5(content), digest);
        return content;
    }

    private static String errorLine(Socket s, String command) throws IOException {
        s.getOutputStream().write(command.getBytes(StandardCharsets.UTF_8));
        StringBuilder line = new StringBuilder();
        for (int c; (c = s.getInputStream().read()) != -1 && c != '\n'; ) {
            line.append((char) c);
        }
        return line.toString();
    }

    @Test
    void seedStyleCommandsWithoutNewlinesOneAfterAnotherOnOneConnection() throws Exception {
        try (Socket s = connect()) {
            assertArrayEquals("hello".getBytes(), get(s, "get hello.txt"));
            assertArrayEquals("nested file\n".getBytes(), get(s, "get sub/nested.txt"));
            assertArrayEquals(new byte[0], get(s, "get empty.bin"));
        }
    }

    @Test
    void lineClientsMayEndCommandsWithNewlines() throws Exception {
        try (Socket s = connect()) {
            assertArrayEquals("hello".getBytes(), get(s, "get hello.txt\r\n"));
            assertArrayEquals("hello".getBytes(), get(s, "GET hello.txt\n"));
        }
    }

    /** Sends {@code parts} as separate segments, {@code gapMillis} apart. */
    private static void sendInParts(Socket s, long gapMillis, String... parts) throws Exception {
        s.setTcpNoDelay(true);
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                Thread.sleep(gapMillis);
            }
            s.getOutputStream().write(parts[i].getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void aCommandSplitAcrossSegmentsIsOneCommand() throws Exception {
        try (Socket s = connect()) {
            sendInParts(s, 50, "get hel", "lo.txt\n");
            assertArrayEquals("hello".getBytes(), get(s, ""), "with a newline");
            sendInParts(s, 50, "get sub/nes", "ted.txt");
            assertArrayEquals("nested file\n".getBytes(), get(s, ""), "without one: the pause ends it, not the gap");
        }
    }

    @Test
    void anAcknowledgementSplitAcrossSegmentsIsOneAcknowledgement() throws Exception {
        try (Socket s = connect()) {
            s.getOutputStream().write("get hello.txt\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals("5", recv(s.getInputStream()));
            sendInParts(s, 50, "read to", " recv file");
            assertEquals("hello" + md5("hello".getBytes()), new String(readExactly(s.getInputStream(), 5 + 32), StandardCharsets.US_ASCII));
            assertArrayEquals("hello".getBytes(), get(s, "get hello.txt"), "no stray reply to the acknowledgement's tail");
        }
    }

    @Test
    void aCommandWithoutNewlineIsAnsweredOnlyAfterThePause() throws Exception {
        try (Socket s = connect()) {
            long start = System.nanoTime();
            assertArrayEquals("hello".getBytes(), get(s, "get hello.txt"));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis >= CommandReader.PAUSE.toMillis(), "answered after " + millis + " ms");
        }
    }

    @Test
    void anOverlongCommandWithoutNewlineGetsOneReplyWhenItEnds() throws Exception {
        try (Socket s = connect()) {
            sendInParts(s, 50, "get " + "x".repeat(1500), "x".repeat(1500));
            assertEquals("ERR BAD_COMMAND line longer than 1024 bytes", errorLine(s, ""));
            assertArrayEquals("hello".getBytes(), get(s, "get hello.txt"), "no second reply for the rest of it");
        }
    }

    @Test
    void errorsAreOneLineAndTheConnectionStaysUsable() throws Exception {
        try (Socket s = connect()) {
            assertTrue(errorLine(s, "get ../etc/passwd").startsWith("ERR BAD_NAME "));
            assertTrue(errorLine(s, "get /etc/passwd\n").startsWith("ERR BAD_NAME absolute path"));
            assertEquals("ERR NOT_FOUND no such file: missing.txt", errorLine(s, "get missing.txt"));
            assertEquals("ERR NOT_A_FILE not a regular file: sub", errorLine(s, "get sub"));
            assertTrue(errorLine(s, "put hello.txt").startsWith("ERR BAD_COMMAND unknown command 'put'"));
            assertTrue(errorLine(s, "x".repeat(5000) + "\n").startsWith("ERR BAD_COMMAND line longer than 1024 bytes"));
            assertArrayEquals("hello".getBytes(), get(s, "get hello.txt"), "still usable after every error");
        }
    }

    @Test
    void aClientThatLeavesMidTransferEndsTheHandlerAndTheFileIsClosed() throws Exception {
        Path big = root.resolve("big.bin");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(512L * 1024 * 1024); // sparse: costs no disk
        }
        try (Socket s = connect()) {
            s.getOutputStream().write("get big.bin".getBytes(StandardCharsets.US_ASCII));
            assertEquals(String.valueOf(512L * 1024 * 1024), recv(s.getInputStream()));
            s.getOutputStream().write("ok".getBytes(StandardCharsets.US_ASCII));
            readExactly(s.getInputStream(), 1024 * 1024);
            s.setSoLinger(true, 0); // reset: the server's next writes fail at once
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (openDescriptorsOf(big) > 0) {
            assertTrue(System.nanoTime() < deadline, "the file is still open 10 s after the client left");
            Thread.sleep(20);
        }
    }

    /** How many of this process's file descriptors point at {@code file} (Linux). */
    private static long openDescriptorsOf(Path file) throws IOException {
        Path fds = Path.of("/proc/self/fd");
        if (!Files.isDirectory(fds)) {
            return 0;
        }
        Path real = file.toRealPath();
        long n = 0;
        try (var entries = Files.list(fds)) {
            for (Path fd : (Iterable<Path>) entries::iterator) {
                try {
                    if (Files.readSymbolicLink(fd).equals(real)) {
                        n++;
                    }
                } catch (IOException closedMeanwhile) {
                    // the descriptor went away while listing
                }
            }
        }
        return n;
    }
}
