package io.portside.launcher;

import static io.portside.launcher.HostHarness.freePort;
import static io.portside.launcher.HostHarness.sampleBundle;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file-transfer sample end to end: seed 004's client as a real process, the hostile-name battery over the wire,
 * a live change of the served folder, and a file several times larger than the heap of the executable jar.
 */
class FileTransferIT {

    private static final Duration SOON = Duration.ofSeconds(10);
    private static final String SECRET = "TOP-SECRET-MARKER-7f3a";

    @TempDir
    Path home;
    @TempDir
    Path client;

    /** Boots a host serving file-transfer (default root: home/files) on a free port. */
    private HostHarness hostServing(int port) throws Exception {
        HostHarness host = HostHarness.start(home, Map.of());
        host.writeNewConfig("io.portside.sample.filetransfer.cfg", "portside.endpoint=tcp://127.0.0.1:" + port + "\n");
        host.deploy(sampleBundle("file-transfer"), "file-transfer.jar");
        host.awaitBound("file-transfer-tcp", "tcp://127.0.0.1:" + port, SOON);
        return host;
    }

    private static String md5(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
    }

    @Test
    void seedClientDownloadsFilesAndTheDigestsMatch() throws Exception {
        Path files = Files.createDirectories(home.resolve("files"));
        byte[] random = new byte[3 * 1024 * 1024 + 17];
        new Random(4).nextBytes(random);
        Files.write(files.resolve("random.bin"), random);
        Files.writeString(files.resolve("hello.txt"), "hello from portside\n");
        int port = freePort();
        try (HostHarness host = hostServing(port)) {
            SeedClients.Run run = SeedClients.run("file_client.py", SeedClients.at(port), client, "get hello.txt\nget random.bin\n");
            assertTrue(run.stderr().contains("EOFError"), "the seed ends at the end of its input:\n" + run);
            assertArrayEquals(Files.readAllBytes(files.resolve("hello.txt")), Files.readAllBytes(client.resolve("hello.txt")), run.toString());
            assertArrayEquals(random, Files.readAllBytes(client.resolve("random.bin")), run.toString());
            Matcher m = Pattern.compile("md5 clinet and server ([0-9a-f]{32}) ([0-9a-f]{32})").matcher(run.stdout());
            List<String> expected = List.of(md5("hello from portside\n".getBytes()), md5(random));
            for (String digest : expected) {
                assertTrue(m.find(), run.toString());
                assertEquals(digest, m.group(1));
                assertEquals(digest, m.group(2));
            }
            host.awaitLog("file-transfer: sent random\\.bin \\(" + random.length + " bytes\\)", SOON);
        }
    }

    /**
     * A command whose line reaches the host in two TCP segments, 50 ms apart, is one command. A first request on the
     * same connection makes sure the handler is already waiting when the first segment arrives.
     */
    @Test
    void aCommandSplitAcrossTwoSegmentsIsOneCommand() throws Exception {
        Path files = Files.createDirectories(home.resolve("files"));
        Files.writeString(files.resolve("notes.txt"), "notes\n");
        int port = freePort();
        try (HostHarness host = hostServing(port); Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            s.setTcpNoDelay(true);
            assertEquals("notes\n", fetchNotes(s, "get notes.txt\n"), "the whole line at once");
            assertEquals("notes\n", fetchNotes(s, "get no", "tes.txt\n"), "the line in two segments");
        }
    }

    /** Sends {@code parts} 50 ms apart, then acknowledges the size of notes.txt and reads it and its digest. */
    private static String fetchNotes(Socket s, String... parts) throws Exception {
        OutputStream out = s.getOutputStream();
        InputStream in = s.getInputStream();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                Thread.sleep(50);
            }
            out.write(parts[i].getBytes(StandardCharsets.US_ASCII));
        }
        byte[] head = new byte[64];
        int n = in.read(head);
        assertEquals("6", n < 0 ? "EOF" : new String(head, 0, n, StandardCharsets.UTF_8), "the size of notes.txt");
        out.write("ok\n".getBytes(StandardCharsets.US_ASCII));
        String content = new String(in.readNBytes(6), StandardCharsets.US_ASCII);
        assertEquals(md5(content.getBytes(StandardCharsets.US_ASCII)), new String(in.readNBytes(32), StandardCharsets.US_ASCII));
        return content;
    }

    @Test
    void hostileNamesAreRefusedOverTheWireAndNothingOutsideTheRootIsSent() throws Exception {
        Path files = Files.createDirectories(home.resolve("files"));
        Files.writeString(files.resolve("hello.txt"), "hello");
        Files.writeString(home.resolve("secret.txt"), SECRET);
        Files.createDirectories(home.resolve("files-old"));
        Files.writeString(home.resolve("files-old/secret.txt"), SECRET);
        Files.createSymbolicLink(files.resolve("leak"), Path.of("../secret.txt"));
        Files.createSymbolicLink(files.resolve("leak-abs"), home.resolve("secret.txt"));
        Files.createSymbolicLink(files.resolve("leak-dir"), home);
        Files.createSymbolicLink(files.resolve("leak-sibling"), Path.of("../files-old/secret.txt"));
        Map<String, String> battery = new java.util.LinkedHashMap<>();
        battery.put("../secret.txt", "BAD_NAME");
        battery.put("../../../../../../etc/passwd", "BAD_NAME");
        battery.put("/etc/passwd", "BAD_NAME");
        battery.put(home.resolve("secret.txt").toString(), "BAD_NAME");
        battery.put("sub/../../secret.txt", "BAD_NAME");
        battery.put("..\\secret.txt", "BAD_NAME");
        battery.put("hello.txt\u0000../../secret.txt", "BAD_NAME");
        battery.put("x".repeat(300), "BAD_NAME");
        battery.put(("d".repeat(100) + "/").repeat(10) + "f", "BAD_NAME");
        battery.put("leak", "OUTSIDE_ROOT");
        battery.put("leak-abs", "OUTSIDE_ROOT");
        battery.put("leak-dir/secret.txt", "OUTSIDE_ROOT");
        battery.put("leak-sibling", "OUTSIDE_ROOT");
        battery.put("%2e%2e/secret.txt", "NOT_FOUND");
        int port = freePort();
        try (HostHarness host = hostServing(port); FileTransferClient c = new FileTransferClient(port)) {
            for (Map.Entry<String, String> e : battery.entrySet()) {
                FileTransferClient.Result r = c.get(e.getKey());
                String line = assertInstanceOf(FileTransferClient.Refused.class, r, e.getKey()).line();
                assertTrue(line.startsWith("ERR " + e.getValue() + " "), e.getKey() + " -> " + line);
            }
            FileTransferClient.Result ok = c.get("hello.txt");
            assertEquals(md5("hello".getBytes()), assertInstanceOf(FileTransferClient.Fetched.class, ok).md5(), "the connection is still usable");
            assertFalse(new String(c.transcript(), StandardCharsets.ISO_8859_1).contains(SECRET), "no byte from outside the root");
            host.awaitLog("WARN .*file-transfer: refused '\\.\\./secret\\.txt' from /127\\.0\\.0\\.1:\\d+ .*BAD_NAME '\\.\\.' in file name", SOON);
            host.awaitLog("WARN .*file-transfer: refused 'leak' from .*OUTSIDE_ROOT", SOON);
        }
    }

    @Test
    void missingFilesDirectoriesAndBadCommandsLeaveTheConnectionUsable() throws Exception {
        Path files = Files.createDirectories(home.resolve("files"));
        Files.createDirectories(files.resolve("dir"));
        Files.writeString(files.resolve("a.txt"), "a");
        int port = freePort();
        try (HostHarness host = hostServing(port); FileTransferClient c = new FileTransferClient(port)) {
            assertEquals("ERR NOT_FOUND no such file: nope.txt", ((FileTransferClient.Refused) c.get("nope.txt")).line());
            assertEquals("ERR NOT_A_FILE not a regular file: dir", ((FileTransferClient.Refused) c.get("dir")).line());
            FileTransferClient.Result bad = c.get("delete a.txt".getBytes(StandardCharsets.US_ASCII), java.io.OutputStream.nullOutputStream());
            assertTrue(((FileTransferClient.Refused) bad).line().startsWith("ERR BAD_COMMAND unknown command 'delete'"));
            FileTransferClient.Result notUtf8 = c.get(new byte[] {'g', 'e', 't', ' ', (byte) 0xc3, (byte) 0x28}, java.io.OutputStream.nullOutputStream());
            assertEquals("ERR BAD_COMMAND the line is not UTF-8", ((FileTransferClient.Refused) notUtf8).line());
            assertInstanceOf(FileTransferClient.Fetched.class, c.get("a.txt"));
        }
    }

    @Test
    void theServedFolderIsReconfiguredLiveBehindTheSameSocket() throws Exception {
        Files.createDirectories(home.resolve("files"));
        Path other = Files.createDirectories(client.resolve("public"));
        Files.writeString(other.resolve("only-here.txt"), "elsewhere");
        int port = freePort();
        try (HostHarness host = hostServing(port); FileTransferClient before = new FileTransferClient(port)) {
            assertInstanceOf(FileTransferClient.Refused.class, before.get("only-here.txt"));
            host.writeConfig("io.portside.sample.filetransfer.cfg", "portside.endpoint=tcp://127.0.0.1:" + port + "\nroot=" + other + "\n");
            host.awaitLog("file-transfer: serving " + Pattern.quote(other.toString()), SOON);
            Wire.await(() -> {
                try (FileTransferClient c = new FileTransferClient(port)) {
                    return c.get("only-here.txt") instanceof FileTransferClient.Fetched;
                }
            }, SOON, "the new root to be served");
            assertFalse(host.logLines().stream().anyMatch(l -> l.contains("Listener file-transfer-tcp unbound")), "the socket stayed open");
        }
    }

    /**
     * The executable jar with a 96 MiB heap serves a 512 MiB file (sparse, with markers) several times over the heap;
     * the digest proves every byte arrived in order. A handler that buffered the file would die of OutOfMemoryError.
     */
    @Test
    void aFileFiveTimesLargerThanTheHeapIsStreamed() throws Exception {
        long started = System.nanoTime();
        long size = 512L * 1024 * 1024;
        Path files = Files.createDirectories(home.resolve("files"));
        Path big = files.resolve("big.bin");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(size);
            for (long at : new long[] {0, 1, 100L * 1024 * 1024 + 3, size / 2, size - 8}) {
                f.seek(at);
                f.write("portside".getBytes(StandardCharsets.US_ASCII), 0, (int) Math.min(8, size - at));
            }
        }
        String expected = md5Of(big);
        int port = freePort();
        Path deploy = Files.createDirectories(home.resolve("deploy"));
        Files.copy(sampleBundle("file-transfer"), deploy.resolve("file-transfer.jar"));
        Files.writeString(deploy.resolve("io.portside.sample.filetransfer.cfg"), "portside.endpoint=tcp://127.0.0.1:" + port + "\n");

        String java = ProcessHandle.current().info().command().orElse("java");
        Path jar = Path.of(System.getProperty("portside.launcher.jar"));
        Process p = new ProcessBuilder(java, "-Xmx96m", "--enable-native-access=ALL-UNNAMED", "-jar", jar.toString(), "run", "--home",
                home.toString()).redirectErrorStream(true).start();
        List<String> output = Collections.synchronizedList(new ArrayList<>());
        Thread reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    output.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
        try {
            Wire.await(() -> {
                try (FileTransferClient c = new FileTransferClient(port)) {
                    return c.get("nothing-here") instanceof FileTransferClient.Refused;
                }
            }, Duration.ofSeconds(30), "file-transfer to answer in the launched host");
            for (int round = 0; round < 2; round++) {
                try (FileTransferClient c = new FileTransferClient(port)) {
                    FileTransferClient.Fetched got = assertInstanceOf(FileTransferClient.Fetched.class, c.get("big.bin"));
                    assertEquals(size, got.size());
                    assertEquals(expected, got.md5(), "digest of what arrived");
                    assertEquals(expected, got.serverMd5(), "digest the server computed");
                }
            }
            List<String> seen;
            synchronized (output) { // the reader thread is still appending: look at a snapshot
                seen = List.copyOf(output);
            }
            assertTrue(p.isAlive(), "the host still runs:\n" + String.join("\n", seen));
            assertFalse(seen.stream().anyMatch(l -> l.contains("OutOfMemoryError")), String.join("\n", seen));
            assertTrue(seen.stream().anyMatch(l -> l.contains("file-transfer: sent big.bin (" + size + " bytes)")), String.join("\n", seen));
        } finally {
            p.toHandle().destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            reader.join(5000);
        }
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
        assertTrue(seconds < 60, "took " + seconds + " s");
    }

    private static String md5Of(Path file) throws Exception {
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (ch.read(buffer.clear()) > 0) {
                md5.update(buffer.flip());
            }
        }
        return HexFormat.of().formatHex(md5.digest());
    }
}
