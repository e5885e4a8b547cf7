package io.portside.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.LocalTime;

/**
 * {@code portside top}: a {@link TopFrame} every second until 'q', Ctrl-C, the host's end, or {@code --count} frames.
 */
final class TopCommand {

    static final Duration REFRESH = Duration.ofSeconds(1);

    private final ControlClient client;
    private final PrintStream out;
    private final PrintStream err;

    TopCommand(ControlClient client, PrintStream out, PrintStream err) {
        this.client = client;
        this.out = out;
        this.err = err;
    }

    /** {@code count} frames, or until quit when it is 0. */
    StatusExit run(int count) {
        HostStatus previous = null;
        long previousNanos = 0;
        try (TerminalKeys keys = TerminalKeys.open()) {
            for (int frame = 0; count == 0 || frame < count; frame++) {
                HostStatus now;
                try {
                    now = StatusJson.read(ControlCommands.fetchJson(client));
                } catch (ControlClient.NotRunning e) {
                    err.println("portside: " + (previous == null ? e.getMessage() : "the host on " + client.home() + " has gone"));
                    return StatusExit.NOT_RUNNING;
                } catch (IOException | IllegalArgumentException e) {
                    err.println("portside: no clear answer from the host on " + client.home() + ": " + e.getMessage());
                    return StatusExit.UNKNOWN;
                }
                long nanos = System.nanoTime();
                out.print(TopFrame.CLEAR + TopFrame.render(previous, now, (nanos - previousNanos) / 1e9, LocalTime.now()));
                out.flush();
                previous = now;
                previousNanos = nanos;
                if ((count == 0 || frame + 1 < count) && keys.awaitQuit(REFRESH)) {
                    break;
                }
            }
            return StatusExit.OK;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return StatusExit.OK;
        }
    }
}
