package io.portside.sample.filetransfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.portside.sample.filetransfer.ErrorReply.Code;

/**
 * The containment battery: every way out of the root that a name or a link can take is refused, before any byte
 * of the target is read. The layout, in a temporary folder:
 * <pre>
 * outside/secret.txt, outside/dir/
 * files-old/secret.txt                   (a sibling whose name starts like the root's)
 * files/               (the root)
 *   hello.txt, sub/nested.txt, "with space.txt", "ü.txt", dir/
 *   link-in -> hello.txt, link-chain -> link-in, link-out -> ../outside/secret.txt,
 *   link-abs -> /etc/passwd, link-dir-out -> ../outside, link-sibling -> ../files-old/secret.txt,
 *   link-chain-out -> link-out, dangling -> nowhere, loop-a -> loop-b -> loop-a, link-to-dir -> dir
 * </pre>
 */
class FileRootTest {

    @TempDir
    Path tmp;
    Path rootDir;
    FileRoot root;

    @BeforeEach
    void layout() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("outside/dir"));
        Files.writeString(tmp.resolve("outside/secret.txt"), "secret");
        Files.createDirectories(tmp.resolve("files-old"));
        Files.writeString(tmp.resolve("files-old/secret.txt"), "old secret");
        rootDir = Files.createDirectories(tmp.resolve("files"));
        Files.writeString(rootDir.resolve("hello.txt"), "hello");
        Files.createDirectories(rootDir.resolve("sub"));
        Files.writeString(rootDir.resolve("sub/nested.txt"), "nested");
        Files.writeString(rootDir.resolve("with space.txt"), "space");
        Files.writeString(rootDir.resolve("ü.txt"), "umlaut");
        Files.createDirectories(rootDir.resolve("dir"));
        Files.createSymbolicLink(rootDir.resolve("link-in"), Path.of("hello.txt"));
        Files.createSymbolicLink(rootDir.resolve("link-chain"), Path.of("link-in"));
        Files.createSymbolicLink(rootDir.resolve("link-out"), Path.of("../outside/secret.txt"));
        Files.createSymbolicLink(rootDir.resolve("link-abs"), Path.of("/etc/passwd"));
        Files.createSymbolicLink(rootDir.resolve("link-dir-out"), outside.getParent());
        Files.createSymbolicLink(rootDir.resolve("link-sibling"), Path.of("../files-old/secret.txt"));
        Files.createSymbolicLink(rootDir.resolve("link-chain-out"), Path.of("link-out"));
        Files.createSymbolicLink(rootDir.resolve("dangling"), Path.of("nowhere"));
        Files.createSymbolicLink(rootDir.resolve("loop-a"), Path.of("loop-b"));
        Files.createSymbolicLink(rootDir.resolve("loop-b"), Path.of("loop-a"));
        Files.createSymbolicLink(rootDir.resolve("link-to-dir"), Path.of("dir"));
        root = new FileRoot(rootDir);
    }

    private Code refusal(String name) {
        return assertInstanceOf(FileRoot.Refused.class, root.resolve(name), name).reply().code();
    }

    private Path found(String name) throws Exception {
        return found(root, name);
    }

    /** The real path of what {@code name} resolves to; the folder the resolution holds open is closed. */
    private static Path found(FileRoot root, String name) throws Exception {
        try (FileRoot.Found found = assertInstanceOf(FileRoot.Found.class, root.resolve(name), name)) {
            return found.realPath();
        }
    }

    @Test
    void plainNamesInsideTheRootAreServed() throws Exception {
        assertEquals(rootDir.resolve("hello.txt").toRealPath(), found("hello.txt"));
        assertEquals(rootDir.resolve("sub/nested.txt").toRealPath(), found("sub/nested.txt"));
        found("with space.txt");
        found("ü.txt");
    }

    @Test
    void linksThatStayInsideTheRootAreFollowed() throws Exception {
        assertEquals(rootDir.resolve("hello.txt").toRealPath(), found("link-in"));
        assertEquals(rootDir.resolve("hello.txt").toRealPath(), found("link-chain"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"link-out", "link-abs", "link-dir-out/secret.txt", "link-sibling", "link-chain-out"})
    void linksLeadingOutsideAreRefused(String name) {
        assertEquals(Code.OUTSIDE_ROOT, refusal(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../outside/secret.txt", "..", "../files-old/secret.txt", "sub/../../outside/secret.txt",
            "sub/../hello.txt", "/etc/passwd", "/", "//etc/passwd", "./hello.txt", "sub//nested.txt", "sub/", "hello.txt/",
            "..\\outside\\secret.txt", "hello.txt\u0000.png", "hello\n.txt", "hel\u007flo.txt", "\u001b[31mred"})
    void namesThatAreNotPlainRelativePathsAreRefusedBeforeAnyLookup(String name) {
        assertEquals(Code.BAD_NAME, refusal(name));
    }

    @Test
    void overLongNamesAreRefused() {
        assertEquals(Code.BAD_NAME, refusal("a".repeat(256)));
        assertEquals(Code.BAD_NAME, refusal(("d".repeat(200) + "/").repeat(5) + "x"));
        assertEquals(Code.BAD_NAME, refusal("ü".repeat(128)), "255 bytes per segment, not characters");
        assertEquals(Code.NOT_FOUND, refusal("a".repeat(255)), "a 255-byte name is fine, it just does not exist");
    }

    @Test
    void missingDanglingLoopingAndNonRegularFiles() {
        assertEquals(Code.NOT_FOUND, refusal("nope.txt"));
        assertEquals(Code.NOT_FOUND, refusal("dangling"));
        assertEquals(Code.NOT_FOUND, refusal("loop-a"));
        assertEquals(Code.NOT_A_FILE, refusal("dir"));
        assertEquals(Code.NOT_A_FILE, refusal("sub"));
        assertEquals(Code.NOT_A_FILE, refusal("link-to-dir"));
    }

    @Test
    void aFifoIsNotAFileAndIsNeverOpened() throws Exception {
        Process mkfifo;
        try {
            mkfifo = new ProcessBuilder("mkfifo", rootDir.resolve("pipe").toString()).start();
        } catch (java.io.IOException e) {
            assumeTrue(false, "mkfifo is not available");
            return;
        }
        assumeTrue(mkfifo.waitFor() == 0, "mkfifo failed");
        assertEquals(Code.NOT_A_FILE, refusal("pipe"), "opening a FIFO would block the handler");
    }

    @Test
    void unreadableFiles() throws Exception {
        Path locked = rootDir.resolve("locked.txt");
        Files.writeString(locked, "locked");
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
        Path lockedDir = Files.createDirectories(rootDir.resolve("locked-dir"));
        Files.writeString(lockedDir.resolve("inner.txt"), "inner");
        Files.setPosixFilePermissions(lockedDir, PosixFilePermissions.fromString("---------"));
        try {
            assumeFalse(Files.isReadable(locked), "running as a user who reads anything (root)");
            assertEquals(Code.UNREADABLE, refusal("locked-dir/inner.txt"));
            // The resolution succeeds; opening fails, which the handler reports as UNREADABLE.
            found("locked.txt");
        } finally {
            Files.setPosixFilePermissions(lockedDir, PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void aMissingRootIsUnavailableAndMayAppearLater() throws Exception {
        FileRoot later = new FileRoot(tmp.resolve("later"));
        assertEquals(Code.UNAVAILABLE, assertInstanceOf(FileRoot.Refused.class, later.resolve("x.txt")).reply().code());
        Files.createDirectories(tmp.resolve("later"));
        Files.writeString(tmp.resolve("later/x.txt"), "x");
        found(later, "x.txt");
    }

    @Test
    void aRootThatIsItselfALinkWorks() throws Exception {
        Path alias = Files.createSymbolicLink(tmp.resolve("alias"), rootDir);
        FileRoot viaAlias = new FileRoot(alias);
        found(viaAlias, "hello.txt");
        assertEquals(Code.OUTSIDE_ROOT, assertInstanceOf(FileRoot.Refused.class, viaAlias.resolve("link-out")).reply().code());
    }

    @Test
    void rootComesFromTheConfigurationRelativeToTheHome() {
        Path home = Path.of("/srv/portside");
        assertEquals(home.resolve("files"), FileTransferService.rootOf(Map.of(), home));
        assertEquals(Path.of("/data/pub"), FileTransferService.rootOf(Map.of("root", "/data/pub"), home));
        assertEquals(home.resolve("public"), FileTransferService.rootOf(Map.of("root", " public "), home));
    }
}
