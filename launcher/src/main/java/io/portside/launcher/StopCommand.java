package io.portside.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code portside stop}: asks the host to stop as SIGTERM would (the health agent's drain, then each listener's grace
 * period), then waits, at most {@code --wait} seconds, until the host's process has ended.
 */
final class StopCommand {

    /** Long enough for an agent's drain and the listeners' grace periods with their defaults. */
    static final Duration DEFAULT_WAIT = Duration.ofSeconds(120);

    private final ControlClient client;
    private final PrintStream out;
    private final PrintStream err;

    StopCommand(ControlClient client, PrintStream out, PrintStream err) {
        this.client = client;
        this.out = out;
        this.err = err;
    }

    StatusExit run(Duration wait) {
        long pid;
        try (SocketChannel channel = client.connect(); ChannelDeadline deadline = new ChannelDeadline(channel, wait)) {
            channel.write(ByteBuffer.wrap((ControlRequest.STOP.line() + "\n").getBytes(StandardCharsets.UTF_8)));
            // The host answers "stopping <pid>" and keeps the connection open until its process ends.
            String answer = ControlClient.readAll(channel).strip();
            if (!answer.startsWith(ControlRequest.STOPPING + " ")) {
                err.println("portside: the host on " + client.home() + " did not stop: "
                        + (deadline.expired() ? "no answer within " + wait.toSeconds() + " s" : answer));
                return StatusExit.UNKNOWN;
            }
            pid = Long.parseLong(answer.substring(ControlRequest.STOPPING.length() + 1).strip());
            out.println("portside: stopping host " + pid + " on " + client.home());
            out.flush();
        } catch (ControlClient.NotRunning e) {
            err.println("portside: " + e.getMessage());
            return StatusExit.NOT_RUNNING;
        } catch (IOException | NumberFormatException e) {
            err.println("portside: could not ask the host on " + client.home() + " to stop: " + e.getMessage());
            return StatusExit.UNKNOWN;
        }
        // The connection ends when the host's process does, or at the deadline: the process itself tells which.
        if (!awaitExit(pid, wait)) {
            err.println("portside: host " + pid + " is still stopping after " + wait.toSeconds() + " s");
            return StatusExit.UNKNOWN;
        }
        out.println("portside: host " + pid + " stopped");
        return StatusExit.OK;
    }

    private static boolean awaitExit(long pid, Duration wait) {
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty()) {
            return true;
        }
        try {
            process.get().onExit().get(wait.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return !process.get().isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
