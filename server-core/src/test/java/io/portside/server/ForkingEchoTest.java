package io.portside.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.portside.handler.api.Concurrency;
import io.portside.server.forking.ForkingModel;

/**
 * CPython tests 3, 6, 9 and 12 ({@code test_Forking*Server}): every forking server type echoes three times, then
 * {@code shutdown} plus {@code serverClose} leave the socket closed and no worker alive ({@code active_children} empty,
 * bpo-31151), and, inside CPython's {@code simple_subprocess}, a child process the server did not start is left alone.
 *
 * <p>{@code @Isolated}: starting a process makes the JDK's launch helper hold a copy of every open descriptor of this JVM
 * for a moment, so a socket another test closes meanwhile may stay bound for those milliseconds (docs/forking.md).
 */
@Isolated
@Execution(ExecutionMode.CONCURRENT)
class ForkingEchoTest {

    @ParameterizedTest(name = "{0}")
    @EnumSource(ServerKind.class)
    void echoesThreeTimesThenCloseWaitsForEveryWorker(ServerKind kind, @TempDir Path dir) throws Exception {
        Process foreign = new ProcessBuilder("sh", "-c", "read x; exit 72").start(); // simple_subprocess: not ours
        try {
            Errors errors = new Errors();
            BaseServer<?> server = ForkingServers.echo(kind, dir, errors);
            ForkingModel model = ForkingServers.model(server);
            assertEquals(Concurrency.FORKING, model.kind());
            SocketAddress address = server.serverAddress();
            List<ProcessHandle> workers = new ArrayList<>();
            Serving serving = Serving.start(server);
            try {
                for (int i = 0; i < 3; i++) {
                    assertArrayEquals(EchoMatrixTest.TEST_STR, Clients.exchange(kind, address, dir, EchoMatrixTest.TEST_STR));
                    workers.addAll(model.workers());
                }
                assertFalse(workers.isEmpty(), "requests were served by workers");
                assertFalse(model.activeChildren().contains(foreign.pid()), "a foreign child is not one of ours");
                assertFalse(model.activeChildren().contains(ProcessHandle.current().pid()));
                serving.stop();
            } finally {
                serving.close();
            }
            assertEquals(java.util.Set.of(), model.activeChildren(), "serverClose waited for every worker");
            for (ProcessHandle w : workers) {
                assertFalse(w.isAlive(), "worker " + w.pid() + " is gone");
            }
            assertFalse(server.channel().isOpen(), "the socket is closed");
            EchoMatrixTest.assertSocketGone(kind, address, dir);
            errors.assertNone();
            assertTrue(foreign.isAlive(), "the foreign child was neither reaped nor killed");
        } finally {
            closeForeign(foreign);
        }
    }

    private static void closeForeign(Process foreign) throws IOException, InterruptedException {
        foreign.getOutputStream().write('\n');
        foreign.getOutputStream().close();
        assertTrue(foreign.waitFor(10, TimeUnit.SECONDS));
        assertEquals(72, foreign.exitValue(), "the foreign child's exit status was left for its owner");
    }
}
