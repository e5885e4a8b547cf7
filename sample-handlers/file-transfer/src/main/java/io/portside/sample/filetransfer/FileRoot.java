package io.portside.sample.filetransfer;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.util.Set;

import io.portside.sample.filetransfer.ErrorReply.Code;

/**
 * The folder files are served from, and the one place that turns a client's name into a file. A name is accepted
 * only if its syntax is plain ({@link FileName}) and it leads, with every symbolic link below the root resolved, to a
 * regular file below the root's real path; the walk to it ({@link ConfinedWalk}) opens each folder relative to its
 * parent without following links, so no change to the tree during a request can lead it outside. The root itself is
 * the operator's: links in its own path are followed, and its real path is taken per request, so the root may be
 * replaced or created later.
 */
final class FileRoot {

    private final Path root;

    FileRoot(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    Path path() {
        return root;
    }

    /** A checked file to serve, or why not. */
    sealed interface Resolution permits Found, Refused {
    }

    /**
     * A regular file below the root, not yet opened: {@code realPath} is where it was found (for people; it is never
     * opened by path), {@code folder} its folder, held open, and {@code file} its name in there. Close it.
     */
    record Found(Path realPath, SecureDirectoryStream<Path> folder, Path file) implements Resolution, AutoCloseable {

        /** Opens the file for reading; fails rather than follow it if it has become a link since it was found. */
        SeekableByteChannel open() throws IOException {
            return folder.newByteChannel(file, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
        }

        @Override
        public void close() throws IOException {
            folder.close();
        }
    }

    /** A refusal, with the reply for the client. */
    record Refused(ErrorReply reply) implements Resolution {
        Refused(Code code, String text) {
            this(new ErrorReply(code, text));
        }
    }

    /** Resolves {@code name}; a {@link Found} holds its folder open until it is closed. */
    Resolution resolve(String name) {
        String problem = FileName.problem(name);
        if (problem != null) {
            return new Refused(Code.BAD_NAME, problem);
        }
        Path realRoot;
        try {
            realRoot = root.toRealPath();
        } catch (IOException e) {
            return new Refused(Code.UNAVAILABLE, "the served folder is not available");
        }
        return ConfinedWalk.resolve(realRoot, name);
    }

    /**
     * Opens a folder for walking relative to it. Where the platform cannot ({@code openat} missing), this fails, and
     * nothing is served: the walk would have to follow links by path.
     */
    static SecureDirectoryStream<Path> openFolder(Path folder) throws IOException {
        DirectoryStream<Path> stream = Files.newDirectoryStream(folder);
        if (stream instanceof SecureDirectoryStream<Path> secure) {
            return secure;
        }
        stream.close();
        throw new IOException("no SecureDirectoryStream on this platform: cannot walk " + folder + " without following links");
    }
}
