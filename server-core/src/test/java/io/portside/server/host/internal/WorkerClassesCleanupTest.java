package io.portside.server.host.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A forking listener's copied worker classes are deleted by whichever of its close paths sees the workers gone first
 * (the close's cleanup thread, the listener's own close): the deletion is quiet even when the tree vanishes under it,
 * so the listener's close never fails, and it still logs its "unbound" line.
 */
class WorkerClassesCleanupTest {

    @TempDir
    Path temp;

    @Test
    void concurrentDeletionsOfTheSameTreeNeverThrow() throws Exception {
        for (int round = 0; round < 20; round++) {
            Path root = Files.createDirectories(temp.resolve("portside-worker-classes-" + round));
            for (int d = 0; d < 4; d++) {
                Path dir = Files.createDirectories(root.resolve("revision-" + d));
                for (int f = 0; f < 50; f++) {
                    Files.writeString(dir.resolve("class-" + f + ".jar"), "x");
                }
            }
            CountDownLatch go = new CountDownLatch(1);
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            List<Thread> deleters = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                deleters.add(Thread.ofPlatform().start(() -> {
                    try {
                        go.await();
                        ForkingConcurrency.deleteQuietly(root);
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }));
            }
            go.countDown();
            for (Thread t : deleters) {
                t.join(10_000);
            }
            assertEquals(List.of(), List.copyOf(failures), "round " + round);
            assertFalse(Files.exists(root), "round " + round + ": " + root + " is left behind");
        }
    }
}
