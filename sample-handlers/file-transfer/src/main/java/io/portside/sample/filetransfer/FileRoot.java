package io.portside.sample.filetransfer;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

import io.portside.sample.filetransfer.ErrorReply.Code;

/**
 * The folder files are served from, and the one place that turns a client's name into a path. A name is accepted
 * only if its syntax is plain ({@link FileName}), and the file it denotes, with every symbolic link followed, is a
 * regular file inside the root's own real path (compared by path components, so {@code /srv/files-old} is not inside
 * {@code /srv/files}). The root's real path is taken per request, so the root may be replaced or created later.
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

    /** A regular file inside the root; {@code realPath} has every link resolved. */
    record Found(Path realPath) implements Resolution {
    }

    /** A refusal, with the reply for the client. */
    record Refused(ErrorReply reply) implements Resolution {
        Refused(Code code, String text) {
            this(new ErrorReply(code, text));
        }
    }

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
        Path candidate;
        try {
            candidate = realRoot.resolve(name).normalize();
        } catch (InvalidPathException e) {
            return new Refused(Code.BAD_NAME, "not a valid path");
        }
        if (!candidate.startsWith(realRoot) || candidate.equals(realRoot)) {
            return new Refused(Code.BAD_NAME, "not a file below the served folder");
        }
        Path real;
        try {
            real = candidate.toRealPath();
        } catch (NoSuchFileException e) {
            return new Refused(Code.NOT_FOUND, "no such file: " + Printable.of(name));
        } catch (AccessDeniedException e) {
            return new Refused(Code.UNREADABLE, "cannot read: " + Printable.of(name));
        } catch (IOException e) {
            // For example a loop of symbolic links.
            return new Refused(Code.NOT_FOUND, "cannot resolve: " + Printable.of(name));
        }
        if (!real.startsWith(realRoot)) {
            return new Refused(Code.OUTSIDE_ROOT, "refused: " + Printable.of(name) + " leads outside the served folder");
        }
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return new Refused(Code.UNREADABLE, "cannot read: " + Printable.of(name));
        }
        if (!attributes.isRegularFile()) {
            return new Refused(Code.NOT_A_FILE, "not a regular file: " + Printable.of(name));
        }
        return new Found(real);
    }
}
