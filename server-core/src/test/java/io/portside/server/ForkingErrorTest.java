package io.portside.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.portside.server.ForkingFixtures.Conversation;
import io.portside.server.ForkingFixtures.ForkingLog;
import io.portside.server.forking.ForkingModel;
import io.portside.server.forking.HandlerClass;
import io.portside.server.forking.WorkerException;

/**
 * CPython's forking error tests (21, 22) and crash isolation, on one shared forking TCP server (worker JVMs are slow to
 * start, so the tests share them): an Exception reaches handleError and the worker goes on; an Error ends only its
 * worker; a worker that calls System.exit, runs out of heap or is killed costs only its own request: its client's
 * connection closes, one line is logged, a replacement starts, and a client being served meanwhile sees nothing.
 *
 * <p>{@code @Isolated}: starting a process makes the JDK's launch helper hold a copy of every open descriptor of this JVM
 * for a moment, so a socket another test closes meanwhile may stay bound for those milliseconds (docs/forking.md).
 */
@Isolated
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ForkingErrorTest {

    private Path dir;
    private Errors errors;
    private BaseServer<?> server;
    private ForkingModel model;
    private Serving serving;
    private ForkingLog log;

    @BeforeAll
    void start() throws IOException {
        dir = Files.createTempDirectory("forking-errors");
        errors = new Errors();
        log = new ForkingLog();
        server = ForkingServers.create(ServerKind.TCP4, dir, errors, HandlerClass.of(ForkingProbe.class),
                ForkingServers.TEST_OPTIONS.withMinIdle(2).withMaxChildren(6));
        model = ForkingServers.model(server);
        serving = Serving.start(server);
    }

    @AfterAll
    void stop() throws Exception {
        List<ProcessHandle> workers = model.workers();
        try {
            serving.stop();
        } finally {
            serving.close();
            log.close();
        }
        assertEquals(java.util.Set.of(), model.activeChildren());
        ForkingServers.assertAllGone(workers, Duration.ofSeconds(1));
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
        }
        Files.deleteIfExists(dir);
    }

    /** Test 21 ({@code test_forking_handled}): handleError gets the exception, once; the worker serves on. */
    @Test
    void exceptionReachesHandleErrorAndTheWorkerGoesOn() throws Exception {
        String marker = "t21-" + System.nanoTime();
        long pid;
        try (Conversation c = new Conversation(server.serverAddress())) {
            pid = c.pid();
            assertNull(c.ask("raise " + marker), "the connection is closed after the exception");
        }
        ForkingFixtures.await(() -> !reported(marker).isEmpty(), Duration.ofSeconds(20), "handleError");
        List<Throwable> reported = reported(marker);
        assertEquals(1, reported.size(), "handleError ran once: " + reported);
        WorkerException e = assertInstanceOf(WorkerException.class, reported.get(0));
        assertEquals(IllegalStateException.class.getName(), e.exceptionClass());
        assertEquals(pid, e.workerPid());
        assertEquals(ForkingProbe.class.getName(), e.getStackTrace()[0].getClassName(), "the worker's stack trace came along");
        assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the worker goes on");
        try (Conversation next = new Conversation(server.serverAddress())) {
            assertEquals("served", next.ask("echo served"));
        }
    }

    /** Test 22 ({@code test_forking_not_handled}): an Error (ServerExit) ends that worker only, without handleError. */
    @Test
    void exitingErrorEndsOnlyThatWorker() throws Exception {
        String marker = "t22-" + System.nanoTime();
        long pid;
        try (Conversation c = new Conversation(server.serverAddress())) {
            pid = c.pid();
            assertNull(c.ask("server-exit " + marker), "the connection is closed");
        }
        List<String> lines = log.awaitWarnings("pid " + pid);
        ForkingFixtures.awaitGone(pid);
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).contains("ServerExit") && lines.get(0).contains(marker), lines.get(0));
        Thread.sleep(100);
        assertEquals(List.of(), reported(marker), "an Error does not reach handleError");
        try (Conversation next = new Conversation(server.serverAddress())) {
            assertNotEquals(pid, next.pid(), "another worker serves the next request");
        }
    }

    /** How a worker dies: System.exit in the handler, heap exhausted, kill -9, or a native crash (SIGSEGV: hs_err report). */
    enum Crash { SYSTEM_EXIT, OUT_OF_MEMORY, SIGKILL, NATIVE_CRASH }

    /** A dying worker costs only its own request; a client served meanwhile by another worker sees no error. */
    @ParameterizedTest
    @EnumSource(Crash.class)
    void aDyingWorkerCostsOnlyItsOwnRequest(Crash crash) throws Exception {
        int errorsBefore = errors.all().size();
        long victimPid;
        try (Conversation bystander = new Conversation(server.serverAddress());
                Conversation victim = new Conversation(server.serverAddress())) {
            long bystanderPid = bystander.pid();
            victimPid = victim.pid();
            assertNotEquals(bystanderPid, victimPid);
            assertEquals("before", bystander.ask("echo before"));
            switch (crash) {
                case SYSTEM_EXIT -> assertNull(victim.ask("system-exit"), "the victim's connection closes");
                case OUT_OF_MEMORY -> assertNull(victim.ask("oom"), "the victim's connection closes");
                case SIGKILL -> {
                    assertTrue(ProcessHandle.of(victimPid).orElseThrow().destroyForcibly());
                    assertNull(victim.readLine(), "the victim's connection closes");
                }
                case NATIVE_CRASH -> {
                    assertEquals(0, new ProcessBuilder("kill", "-SEGV", Long.toString(victimPid)).start().waitFor());
                    assertNull(victim.readLine(), "the victim's connection closes");
                }
            }
            ForkingFixtures.awaitGone(victimPid);
            List<String> lines = log.awaitWarnings("pid " + victimPid);
            assertEquals(1, lines.size(), "one line per death: " + lines);
            String expected = switch (crash) {
                case SYSTEM_EXIT -> "exit status 7";
                case OUT_OF_MEMORY -> "exit status 3";
                case SIGKILL -> "signal 9";
                case NATIVE_CRASH -> "exit status 1"; // HotSpot writes its crash report, then exits (no core dump: -XX:-CreateCoredumpOnCrash)
            };
            assertTrue(lines.get(0).contains("died while serving") && lines.get(0).contains(expected), lines.get(0));
            if (crash == Crash.NATIVE_CRASH) {
                Files.deleteIfExists(Path.of(System.getProperty("java.io.tmpdir"), "portside-worker-hs_err_pid" + victimPid + ".log"));
            }
            assertEquals("after", bystander.ask("echo after"), "the bystander is still served");
            assertEquals(bystanderPid, bystander.pid(), "by the same worker");
        }
        try (Conversation next = new Conversation(server.serverAddress())) {
            assertNotEquals(victimPid, next.pid(), "the next client is served");
        }
        ForkingFixtures.await(() -> model.workers().size() >= 2, Duration.ofSeconds(30), "spare workers to be replaced");
        assertEquals(errorsBefore, errors.all().size(), "a crash is not a handler error");
    }

    private List<Throwable> reported(String marker) {
        return errors.all().stream().filter(t -> String.valueOf(t.getMessage()).contains(marker)).toList();
    }
}
