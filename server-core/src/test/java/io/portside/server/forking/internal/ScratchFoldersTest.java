package io.portside.server.forking.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stale scratch folders: those of processes that are gone (or whose pid now belongs to a later process) are deleted. */
class ScratchFoldersTest {

    @TempDir
    Path root;

    @Test
    void onlyFoldersOfLiveProcessesSurvive() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        assertTrue(gone.waitFor(10, TimeUnit.SECONDS));
        ProcessHandle self = ProcessHandle.current();
        long start = ScratchFolders.startMillis(self);

        Path dead = Files.createDirectories(root.resolve("portside-run-" + gone.pid() + "-" + base36(start) + "-1x3/inner"));
        Path reused = Files.createDirectories(root.resolve("portside-classes-" + self.pid() + "-" + base36(start - 60_000) + "-4"));
        Path live = Files.createDirectories(root.resolve("portside-classes-" + self.pid() + "-" + base36(start) + "-5"));
        Path foreign = Files.createDirectories(root.resolve("portside-something-else"));
        Path crashLog = Files.writeString(root.resolve("portside-worker-hs_err_pid" + gone.pid() + ".log"), "report");

        assertEquals(2, ScratchFolders.deleteStale(root));
        assertFalse(Files.exists(dead.getParent()), "a dead process's folder is deleted with what it holds");
        assertFalse(Files.exists(reused), "a pid now used by a later process does not keep an old folder");
        assertTrue(Files.exists(live) && Files.exists(foreign) && Files.exists(crashLog));
    }

    @Test
    void createdFoldersNameTheirProcessAndAreOwnerOnly() throws Exception {
        Path made = ScratchFolders.create(root.resolve("work/forking"), "run");
        assertEquals(root.resolve("work/forking"), made.getParent());
        assertTrue(made.getFileName().toString().startsWith("portside-run-" + ProcessHandle.current().pid() + "-"), made.toString());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(made)));
        assertEquals(0, ScratchFolders.deleteStale(made.getParent()), "this process's own folder is not stale");
    }

    private static String base36(long millis) {
        return Long.toString(millis, 36);
    }
}
