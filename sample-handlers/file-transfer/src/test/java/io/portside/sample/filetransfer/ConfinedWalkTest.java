package io.portside.sample.filetransfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.portside.sample.filetransfer.ErrorReply.Code;

/**
 * The component-by-component walk: links below the root are resolved by the walk itself, as the kernel would, and
 * only while they stay below the root; the file opened is the one found, in the folder the walk holds open.
 */
class ConfinedWalkTest {

    @TempDir
    Path tmp;
    Path rootDir;
    FileRoot root;

    @BeforeEach
    void layout() throws Exception {
        Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(tmp.resolve("outside/secret.txt"), "secret");
        rootDir = Files.createDirectories(tmp.resolve("files"));
        Files.writeString(rootDir.resolve("hello.txt"), "hello");
        Files.createDirectories(rootDir.resolve("a/b"));
        Files.writeString(rootDir.resolve("a/b/deep.txt"), "deep");
        Files.createSymbolicLink(rootDir.resolve("to-b"), Path.of("a/b"));
        Files.createSymbolicLink(rootDir.resolve("a/b/up"), Path.of("../../hello.txt"));
        Files.createSymbolicLink(rootDir.resolve("a/b/up-dir"), Path.of(".."));
        Files.createSymbolicLink(rootDir.resolve("a/b/too-far"), Path.of("../../../outside/secret.txt"));
        Files.createSymbolicLink(rootDir.resolve("abs-in"), rootDir.toRealPath().resolve("a/b/deep.txt"));
        Files.createSymbolicLink(rootDir.resolve("abs-via-out"), rootDir.toRealPath().resolve("../outside/secret.txt"));
        Files.createSymbolicLink(rootDir.resolve("here"), Path.of("."));
        root = new FileRoot(rootDir);
    }

    private String content(FileRoot in, String name) throws IOException {
        try (FileRoot.Found found = assertInstanceOf(FileRoot.Found.class, in.resolve(name), name); SeekableByteChannel ch = found.open()) {
            ByteBuffer b = ByteBuffer.allocate(100);
            ch.read(b);
            return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
        }
    }

    private Code refusal(String name) {
        return assertInstanceOf(FileRoot.Refused.class, root.resolve(name), name).reply().code();
    }

    @Test
    void linksBelowTheRootAreResolvedByTheWalk() throws Exception {
        assertEquals("deep", content(root, "to-b/deep.txt"), "a link to a folder, then a file in it");
        assertEquals("hello", content(root, "a/b/up"), "'..' in a target climbs from the link's folder");
        assertEquals("deep", content(root, "a/b/up-dir/b/deep.txt"));
        assertEquals("deep", content(root, "to-b/up-dir/b/deep.txt"), "'..' from a linked folder is its real parent");
        assertEquals("deep", content(root, "abs-in"), "an absolute target that names the root's real path");
        assertEquals("hello", content(root, "here/here/hello.txt"));
    }

    @Test
    void targetsThatLeaveTheRootAreRefusedEvenIfTheyComeBack() {
        assertEquals(Code.OUTSIDE_ROOT, refusal("a/b/too-far"));
        assertEquals(Code.OUTSIDE_ROOT, refusal("abs-via-out"));
        assertEquals(Code.NOT_A_FILE, refusal("here"));
        assertEquals(Code.NOT_A_FILE, refusal("to-b"));
        assertEquals(Code.NOT_FOUND, refusal("hello.txt/x"), "a file is not a folder");
        assertEquals(Code.NOT_FOUND, refusal("to-b/missing.txt"));
    }

    @Test
    void theRootMayBeNamedThroughALinkAboveIt() throws Exception {
        Path alias = Files.createSymbolicLink(tmp.resolve("alias-of-tmp"), tmp);
        FileRoot viaLink = new FileRoot(alias.resolve("files"));
        assertEquals("hello", content(viaLink, "hello.txt"));
        assertEquals("deep", content(viaLink, "abs-in"));
        assertEquals(Code.OUTSIDE_ROOT, assertInstanceOf(FileRoot.Refused.class, viaLink.resolve("a/b/too-far")).reply().code());
    }

    @Test
    void aLongChainOfLinksIsALoop() throws Exception {
        for (int i = 0; i < ConfinedWalk.MAX_LINKS + 1; i++) {
            Files.createSymbolicLink(rootDir.resolve("chain" + i), Path.of(i == ConfinedWalk.MAX_LINKS ? "hello.txt" : "chain" + (i + 1)));
        }
        assertEquals(Code.NOT_FOUND, refusal("chain0"));
        assertEquals("hello", content(root, "chain1"), "forty links are still followed");
    }

    @Test
    void aFileSwappedForALinkAfterTheWalkIsNotOpened() throws Exception {
        try (FileRoot.Found found = assertInstanceOf(FileRoot.Found.class, root.resolve("hello.txt"))) {
            Files.delete(rootDir.resolve("hello.txt"));
            Files.createSymbolicLink(rootDir.resolve("hello.txt"), tmp.resolve("outside/secret.txt"));
            assertThrows(IOException.class, found::open);
        }
    }

    @Test
    void noFolderStaysOpen() throws Exception {
        Path fds = Path.of("/proc/self/fd");
        assumeTrue(Files.isDirectory(fds), "no /proc/self/fd");
        long before = count(fds);
        for (int i = 0; i < 200; i++) {
            for (String name : List.of("hello.txt", "to-b/deep.txt", "a/b/up", "a/b/too-far", "here", "missing", "hello.txt/x")) {
                if (root.resolve(name) instanceof FileRoot.Found found) {
                    found.close();
                }
            }
        }
        long after = count(fds);
        assertTrue(after - before < 20, "descriptors before and after 1400 walks: " + before + ", " + after);
    }

    private static long count(Path fds) throws IOException {
        try (var list = Files.list(fds)) {
            return list.count();
        }
    }
}
