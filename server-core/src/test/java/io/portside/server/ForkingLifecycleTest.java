package io.portside.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.Isolated;

import io.portside.handler.api.StreamRequest;
import io.portside.handler.api.StreamRequestHandler;
import io.portside.server.ForkingFixtures.Conversation;
import io.portside.server.ForkingFixtures.ForkingLog;
import io.portside.server.forking.ForkingModel;
import io.portside.server.forking.ForkingOptions;
import io.portside.server.forking.ForkingTcpServer;
import io.portside.server.forking.HandlerClass;

/**
 * The ForkingMixIn knobs and what Java adds, and that workers never outlive their server.
 *
 * <p>{@code @Isolated}: starting a process makes the JDK's launch helper hold a copy of every open descriptor of this JVM
 * for a moment, so a socket another test closes meanwhile may stay bound for those milliseconds (docs/forking.md).
 */
@Isolated
@Execution(ExecutionMode.CONCURRENT)
class ForkingLifecycleTest {

    /** A forking TCP server with the probe handler that records refusals. */
    static final class RecordingServer extends ForkingTcpServer {
        final List<String> refused = new CopyOnWriteArrayList<>();

        RecordingServer(HandlerClass handler, ForkingOptions options) throws IOException {
            super(new InetSocketAddress("127.0.0.1", 0), handler, options, true);
        }

        @Override
        protected void requestRefused(StreamRequest request, SocketAddress client, RejectedExecutionException reason) {
            refused.add(reason.getMessage());
        }
    }

    /**
     * maxChildren bounds the workers: with the only worker busy, the next client waits workerWait and is refused
     * (EOF, requestRefused); blockOnClose makes serverClose wait for the busy worker's request to end.
     */
    @Test
    void maxChildrenRefusesAfterTheWaitAndCloseWaitsForTheBusyWorker() throws Exception {
        RecordingServer server = new RecordingServer(HandlerClass.of(ForkingProbe.class), ForkingServers.TEST_OPTIONS
                .withMaxChildren(1).withMinIdle(1).withWorkerWait(Duration.ofMillis(400)));
        ForkingModel model = server.forking();
        Serving serving = Serving.start(server);
        ForkingFixtures.await(() -> model.idleCount() == 1, Duration.ofSeconds(30), "the prestarted worker");
        try (Conversation holder = new Conversation(server.serverAddress())) {
            long pid = holder.pid();
            long started = System.nanoTime();
            try (Socket late = Clients.connect(server.serverAddress())) {
                assertEquals(-1, late.getInputStream().read(), "a client over the bound is refused: it reads EOF");
            }
            assertTrue(System.nanoTime() - started >= Duration.ofMillis(350).toNanos(), "after waiting for a free worker");
            ForkingFixtures.await(() -> !server.refused.isEmpty(), Duration.ofSeconds(5), "requestRefused");
            assertTrue(server.refused.get(0).contains("all 1 workers busy"), server.refused.toString());
            assertEquals(List.of(pid), List.copyOf(model.activeChildren()), "never more than maxChildren workers");

            holder.send("sleep 600");
            holder.halfClose();
            long closing = System.nanoTime();
            serving.stop();
            assertTrue(System.nanoTime() - closing >= Duration.ofMillis(300).toNanos(), "serverClose waited for the busy worker");
            assertEquals("slept", holder.readLine(), "the busy worker finished its request");
            assertNull(holder.readLine());
            assertEquals(java.util.Set.of(), model.activeChildren());
            ForkingFixtures.awaitGone(pid);
        } finally {
            serving.close();
        }
    }

    /** requestsPerWorker recycles a worker after that many requests; a replacement takes over. */
    @Test
    void workersAreRecycledAfterRequestsPerWorker() throws Exception {
        RecordingServer server = new RecordingServer(HandlerClass.of(ForkingProbe.class),
                ForkingServers.TEST_OPTIONS.withMaxChildren(2).withMinIdle(1).withRequestsPerWorker(2));
        try (Serving serving = Serving.start(server)) {
            long first = pidOfNewConnection(server);
            // The client has its reply before the worker reports back as idle: wait for both workers to be idle.
            ForkingFixtures.await(() -> server.forking().workers().size() == 2 && server.forking().idleCount() == 2,
                    Duration.ofSeconds(30), "a spare worker, and the first one idle again");
            assertEquals(first, pidOfNewConnection(server), "the most recently used worker serves again");
            ForkingFixtures.awaitGone(first);
            assertNotEquals(first, pidOfNewConnection(server), "a recycled worker is replaced");
            serving.stop();
        }
        assertEquals(java.util.Set.of(), server.forking().activeChildren());
    }

    /** A handler class the worker cannot load: one line, and requests are refused at once instead of waiting. */
    @Test
    void unloadableHandlerIsReportedOnceAndRefused() throws Exception {
        try (ForkingLog log = new ForkingLog()) {
            RecordingServer server = new RecordingServer(new HandlerClass("io.portside.NoSuchHandler", List.of()),
                    ForkingServers.TEST_OPTIONS.withMinIdle(1));
            try (Serving serving = Serving.start(server)) {
                List<String> lines = log.awaitWarnings("io.portside.NoSuchHandler");
                try (Socket s = Clients.connect(server.serverAddress())) {
                    assertEquals(-1, s.getInputStream().read(), "refused: EOF");
                }
                assertTrue(server.refused.get(0).contains("cannot start in a worker"), server.refused.toString());
                assertEquals(1, log.warnings("io.portside.NoSuchHandler").size(), lines.toString());
                assertTrue(lines.get(0).contains("ClassNotFoundException"), lines.get(0));
                serving.stop();
            }
            assertEquals(java.util.Set.of(), server.forking().activeChildren());
        }
    }

    /**
     * Below maxChildren a request that finds no idle worker waits in the queue for the worker started for it, and the
     * serve loop goes on: several clients at once are served by workers started in parallel. A queued request whose
     * worker never comes (here: the launcher fails) is refused after workerWait, through requestRefused.
     */
    @Test
    void requestsQueueForStartingWorkersAndAreRefusedIfNoneComes() throws Exception {
        RecordingServer server = new RecordingServer(HandlerClass.of(ForkingProbe.class),
                ForkingServers.TEST_OPTIONS.withMinIdle(0).withMaxChildren(3));
        List<Conversation> clients = new ArrayList<>();
        try (Serving serving = Serving.start(server)) {
            for (int i = 0; i < 3; i++) {
                clients.add(new Conversation(server.serverAddress()));
            }
            java.util.Set<Long> pids = new java.util.HashSet<>();
            for (Conversation c : clients) {
                pids.add(c.pid());
            }
            assertEquals(3, pids.size(), "three clients, three workers started for them");
            for (Conversation c : clients) {
                c.close();
            }
            serving.stop();
        }
        assertEquals(List.of(), server.refused);

        RecordingServer broken = new RecordingServer(HandlerClass.of(ForkingProbe.class), ForkingServers.TEST_OPTIONS.withMinIdle(0)
                .withWorkerWait(Duration.ofMillis(500)).withJavaCommand(Path.of("/bin/false")));
        try (ForkingLog log = new ForkingLog(); Serving serving = Serving.start(broken)) {
            long started = System.nanoTime();
            try (Socket s = Clients.connect(broken.serverAddress())) {
                assertEquals(-1, s.getInputStream().read(), "refused: EOF");
            }
            assertTrue(System.nanoTime() - started >= Duration.ofMillis(450).toNanos(), "after workerWait");
            ForkingFixtures.await(() -> !broken.refused.isEmpty(), Duration.ofSeconds(5), "requestRefused");
            assertTrue(broken.refused.get(0).contains("no worker became ready within 500 ms"), broken.refused.toString());
            assertTrue(log.warnings("failed to start").size() <= 4, "start failures back off: " + log.warnings("failed to start"));
            serving.stop();
        }
    }

    /** Handler classes are instantiated by name in the worker: only classes that can be are accepted. */
    @Test
    void handlerClassesMustBeInstantiableByName(@TempDir Path dir) {
        class Local extends StreamRequestHandler {
        }
        InetSocketAddress any = new InetSocketAddress("127.0.0.1", 0);
        assertThrows(IllegalArgumentException.class, () -> HandlerClass.of(Local.class));
        assertThrows(IllegalArgumentException.class, () -> HandlerClass.of(String.class));
        assertThrows(IllegalArgumentException.class, () -> HandlerClass.of(StreamRequestHandler.class));
        assertThrows(IllegalArgumentException.class, () -> new ForkingTcpServer(any, Handlers.DatagramEcho.class));
        assertEquals(new HandlerClass(ForkingProbe.class.getName(), List.of()), HandlerClass.of(ForkingProbe.class));
    }

    /** A server JVM killed with SIGKILL takes its workers with it, the busy one included. */
    @Test
    void workersDieWithTheirServerEvenAfterSigkill(@TempDir Path tmp) throws Exception {
        Process parent = java(true, tmp); // a killed JVM cannot clean up: its temp files go to the test's directory
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8));
            int port = Integer.parseInt(readPort(out));
            try (Conversation busy = new Conversation(new InetSocketAddress("127.0.0.1", port))) {
                long busyPid = busy.pid();
                ForkingFixtures.await(() -> javaChildren(parent).size() >= 2, Duration.ofSeconds(30), "a spare worker besides the busy one");
                List<ProcessHandle> workers = javaChildren(parent);
                assertTrue(workers.stream().anyMatch(w -> w.pid() == busyPid), workers.toString());
                parent.destroyForcibly();
                assertTrue(parent.waitFor(10, TimeUnit.SECONDS));
                ForkingServers.assertAllGone(workers, Duration.ofSeconds(10));
                assertNull(busy.readLine(), "the busy worker's client reads EOF");
            }
        } finally {
            parent.destroyForcibly();
        }
    }

    /** Without --add-opens java.base/sun.nio.ch a forking server cannot start, and says why in one message. */
    @Test
    void withoutAddOpensTheServerSaysWhatIsMissing(@TempDir Path tmp) throws Exception {
        Process p = java(false, tmp);
        String output;
        try {
            output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        } finally {
            p.destroyForcibly();
        }
        assertNotEquals(0, p.exitValue());
        assertTrue(output.contains("Forking needs the JVM option --add-opens java.base/sun.nio.ch=ALL-UNNAMED"), output);
        assertFalse(output.contains("PORT"), output);
    }

    private static long pidOfNewConnection(BaseServer<?> server) throws IOException {
        try (Conversation c = new Conversation(server.serverAddress())) {
            return c.pid();
        }
    }

    private static Process java(boolean addOpens, Path tmp) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "--enable-native-access=ALL-UNNAMED",
                "-Djava.io.tmpdir=" + tmp));
        if (addOpens) {
            cmd.add("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED");
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), ForkingParentMain.class.getName()));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    private static String readPort(BufferedReader out) throws IOException {
        for (String line; (line = out.readLine()) != null; ) {
            if (line.startsWith("PORT ")) {
                return line.substring(5).trim();
            }
        }
        throw new AssertionError("the server JVM ended without printing its port");
    }

    private static List<ProcessHandle> javaChildren(Process parent) {
        return parent.toHandle().children().toList();
    }
}
