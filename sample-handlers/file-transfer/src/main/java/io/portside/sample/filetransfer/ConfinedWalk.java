package io.portside.sample.filetransfer;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import io.portside.sample.filetransfer.ErrorReply.Code;

/**
 * Resolves one name below the root as the kernel would, but one component at a time, and never lets the kernel follow
 * a link: each folder is opened relative to the one before it with {@code NOFOLLOW_LINKS} ({@code openat} with
 * {@code O_NOFOLLOW} on Linux), and each entry is looked at without following it. A link met on the way is read and
 * its target walked the same way, from the link's folder, or from the root for an absolute target that names the
 * root's real path; a target that climbs above the root or names anything else is refused. So however the tree
 * changes while it is walked, every folder opened and the file at the end are below the root: a folder swapped for a
 * link makes the walk fail, never leave. The walk owns the folders it opens and closes all but the last, which it
 * hands to the {@link FileRoot.Found} it returns.
 */
final class ConfinedWalk {

    /** Links followed per name at most, as Linux's {@code MAXSYMLINKS}; more is reported as a loop. */
    static final int MAX_LINKS = 40;
    /** Components looked at per name at most (a name has at most 500): bounds the work a crafted tree of links makes. */
    static final int MAX_STEPS = 4096;

    private final Path realRoot;
    private final String name;
    private final Deque<String> remaining = new ArrayDeque<>();
    /** The real folders from the root down to {@link #current}; no links among them. */
    private final List<String> folders = new ArrayList<>();
    private SecureDirectoryStream<Path> current;
    private int links;
    private int steps;

    /** @param realRoot the root's real path (links above the root are the operator's and are followed to get it) */
    private ConfinedWalk(Path realRoot, String name) {
        this.realRoot = realRoot;
        this.name = name;
        for (Path segment : Path.of(name)) {
            remaining.add(segment.toString());
        }
    }

    /** The file {@code name} denotes below {@code realRoot}, or why not; {@code name} has passed {@link FileName}. */
    static FileRoot.Resolution resolve(Path realRoot, String name) {
        ConfinedWalk walk;
        try {
            walk = new ConfinedWalk(realRoot, name);
        } catch (InvalidPathException e) {
            return new FileRoot.Refused(Code.BAD_NAME, "not a valid path");
        }
        return walk.walk();
    }

    private FileRoot.Resolution walk() {
        try {
            current = openRoot();
            return walkRemaining();
        } catch (Refusal refusal) {
            return refusal.refused;
        } finally {
            closeCurrent();
        }
    }

    private FileRoot.Found walkRemaining() throws Refusal {
        while (!remaining.isEmpty()) {
            String segment = remaining.removeFirst();
            if (++steps > MAX_STEPS) {
                throw refusal(Code.NOT_FOUND, "cannot resolve: ");
            }
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                up();
                continue;
            }
            FileRoot.Found found = step(segment);
            if (found != null) {
                return found;
            }
        }
        throw refusal(Code.NOT_A_FILE, "not a regular file: "); // the name ends at a folder
    }

    /** Takes one entry of the current folder: follows it if a link, enters it if a folder, else it is the end. */
    private FileRoot.Found step(String segment) throws Refusal {
        Path entry = entry(segment);
        BasicFileAttributes attributes = attributes(entry);
        if (attributes.isSymbolicLink()) {
            follow(segment);
            return null;
        }
        boolean last = remaining.isEmpty();
        if (attributes.isDirectory() && !last) {
            enter(entry);
            folders.add(segment);
            return null;
        }
        if (!last) {
            throw refusal(Code.NOT_FOUND, "no such file: "); // a file used as a folder
        }
        if (!attributes.isRegularFile()) {
            throw refusal(Code.NOT_A_FILE, "not a regular file: ");
        }
        FileRoot.Found found = new FileRoot.Found(currentPath().resolve(segment), current, entry);
        current = null; // the caller's now
        return found;
    }

    /**
     * Puts a link's target in front of what remains. The JDK has no {@code readlinkat}, so the link is read by its
     * path, which a concurrent swap could redirect; that only changes the text read, which is then walked from here
     * like any name, so it cannot lead out either.
     */
    private void follow(String segment) throws Refusal {
        if (++links > MAX_LINKS) {
            throw refusal(Code.NOT_FOUND, "cannot resolve: "); // a loop of links
        }
        Path target;
        try {
            target = Files.readSymbolicLink(currentPath().resolve(segment));
        } catch (IOException | UnsupportedOperationException e) {
            throw refusal(Code.NOT_FOUND, "cannot resolve: "); // changed since it was looked at
        }
        List<String> names = new ArrayList<>();
        target.forEach(n -> names.add(n.toString()));
        if (target.isAbsolute()) {
            if (!target.startsWith(realRoot)) {
                throw outside();
            }
            backToRoot();
            names.subList(0, realRoot.getNameCount()).clear();
        }
        for (int i = names.size() - 1; i >= 0; i--) {
            remaining.addFirst(names.get(i));
        }
    }

    /** {@code ..}: the folder above, which must still be below the root; re-entered from the root by name. */
    private void up() throws Refusal {
        if (folders.isEmpty()) {
            throw outside();
        }
        List<String> path = List.copyOf(folders.subList(0, folders.size() - 1));
        backToRoot();
        for (String folder : path) {
            if (++steps > MAX_STEPS) {
                throw refusal(Code.NOT_FOUND, "cannot resolve: ");
            }
            enter(entry(folder));
            folders.add(folder);
        }
    }

    private void backToRoot() throws Refusal {
        closeCurrent();
        folders.clear();
        current = openRoot();
    }

    /** Opens the folder {@code entry} of the current one, refusing to follow it if it has become a link meanwhile. */
    private void enter(Path entry) throws Refusal {
        SecureDirectoryStream<Path> next;
        try {
            next = current.newDirectoryStream(entry, LinkOption.NOFOLLOW_LINKS);
        } catch (AccessDeniedException e) {
            throw refusal(Code.UNREADABLE, "cannot read: ");
        } catch (NoSuchFileException e) {
            throw refusal(Code.NOT_FOUND, "no such file: ");
        } catch (IOException e) {
            throw refusal(Code.NOT_FOUND, "cannot resolve: "); // swapped for a link or a file since it was looked at
        }
        closeCurrent();
        current = next;
    }

    private BasicFileAttributes attributes(Path entry) throws Refusal {
        try {
            return current.getFileAttributeView(entry, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).readAttributes();
        } catch (NoSuchFileException e) {
            throw refusal(Code.NOT_FOUND, "no such file: ");
        } catch (AccessDeniedException e) {
            throw refusal(Code.UNREADABLE, "cannot read: ");
        } catch (IOException e) {
            throw refusal(Code.NOT_FOUND, "cannot resolve: ");
        }
    }

    private SecureDirectoryStream<Path> openRoot() throws Refusal {
        try {
            return FileRoot.openFolder(realRoot);
        } catch (IOException e) {
            throw new Refusal(new FileRoot.Refused(Code.UNAVAILABLE, "the served folder is not available"));
        }
    }

    private Path entry(String segment) throws Refusal {
        try {
            return Path.of(segment);
        } catch (InvalidPathException e) {
            throw new Refusal(new FileRoot.Refused(Code.BAD_NAME, "not a valid path"));
        }
    }

    /** The current folder's path, for messages and for reading links; never opened by the walk. */
    private Path currentPath() {
        return folders.isEmpty() ? realRoot : realRoot.resolve(String.join("/", folders));
    }

    private void closeCurrent() {
        if (current != null) {
            try {
                current.close();
            } catch (IOException ignored) {
                // nothing was written through it
            }
            current = null;
        }
    }

    private Refusal outside() {
        return new Refusal(new FileRoot.Refused(Code.OUTSIDE_ROOT, "refused: " + Printable.of(name) + " leads outside the served folder"));
    }

    private Refusal refusal(Code code, String what) {
        return new Refusal(new FileRoot.Refused(code, what + Printable.of(name)));
    }

    /** Ends the walk with a reply; control flow only, so no stack trace. */
    private static final class Refusal extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient FileRoot.Refused refused;

        Refusal(FileRoot.Refused refused) {
            super(refused.reply().toString(), null, false, false);
            this.refused = refused;
        }
    }
}
