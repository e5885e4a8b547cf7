package io.portside.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code portside status [--home DIR] [--json]}, {@code portside top [--home DIR] [--count N]} and
 * {@code portside stop [--home DIR] [--wait SECONDS]}: the client side of the control socket, run from the launcher jar
 * ({@code java -jar launcher-all.jar status ...}) in a short-lived JVM. The exit status is a {@link StatusExit}.
 */
final class ControlCommands {

    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(10);

    static final String USAGE = """
            usage: portside status [--home DIR] [--json]   the host's listeners, revisions and failures
                   portside top [--home DIR] [--count N]   a live view, every second (q or Ctrl-C quits)
                   portside stop [--home DIR] [--wait S]   stop the host as SIGTERM would, wait until it has ended
              exit status: 0 running (stop: stopped), 1 a listener FAILED, 2 usage, 3 no host runs on DIR, 4 no clear answer""";

    private ControlCommands() {
    }

    /** The command line after the command's name. */
    record Options(Path home, boolean json, int count, Duration stopWait) {
    }

    static boolean handles(String command) {
        return command.equals("status") || command.equals("top") || command.equals("stop");
    }

    /** Runs {@code command} with {@code args}; returns the exit status. */
    static int run(String command, String[] args, Path defaultHome, PrintStream out, PrintStream err) {
        if (java.util.Arrays.asList(args).contains("--help") || java.util.Arrays.asList(args).contains("-h")) {
            out.println(USAGE);
            return StatusExit.OK.code();
        }
        Options options;
        try {
            options = parse(command, args, defaultHome);
        } catch (IllegalArgumentException e) {
            err.println("portside: " + e.getMessage());
            err.println(USAGE);
            return StatusExit.USAGE.code();
        }
        ControlClient client = new ControlClient(options.home().toAbsolutePath().normalize());
        StatusExit exit = switch (command) {
            case "status" -> status(client, options.json(), out, err);
            case "top" -> new TopCommand(client, out, err).run(options.count());
            default -> new StopCommand(client, out, err).run(options.stopWait());
        };
        out.flush();
        return exit.code();
    }

    static Options parse(String command, String[] args, Path defaultHome) {
        Path home = defaultHome;
        boolean json = false;
        int count = 0;
        Duration wait = StopCommand.DEFAULT_WAIT;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--home")) {
                home = Path.of(value(args, ++i, a));
            } else if (a.equals("--json") && command.equals("status")) {
                json = true;
            } else if (a.equals("--count") && command.equals("top")) {
                count = positive(value(args, ++i, a), a);
            } else if (a.equals("--wait") && command.equals("stop")) {
                wait = Duration.ofSeconds(positive(value(args, ++i, a), a));
            } else {
                throw new IllegalArgumentException("unknown argument '" + a + "' for " + command);
            }
        }
        return new Options(home, json, count, wait);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static int positive(String value, String option) {
        try {
            int n = Integer.parseInt(value);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException(option + " needs a positive whole number, not '" + value + "'");
    }

    private static StatusExit status(ControlClient client, boolean json, PrintStream out, PrintStream err) {
        try {
            String answer = fetchJson(client);
            HostStatus status = StatusJson.read(answer);
            out.print(json ? answer + "\n" : StatusTable.render(status));
            return status.anyFailed() ? StatusExit.LISTENER_FAILED : StatusExit.OK;
        } catch (ControlClient.NotRunning e) {
            err.println("portside: " + e.getMessage());
            return StatusExit.NOT_RUNNING;
        } catch (IOException | IllegalArgumentException e) {
            err.println("portside: no clear answer from the host on " + client.home() + ": " + e.getMessage());
            return StatusExit.UNKNOWN;
        }
    }

    /** The host's status as JSON text; an error answer becomes an {@link IOException}. */
    static String fetchJson(ControlClient client) throws IOException {
        String answer = client.ask(ControlRequest.STATUS_JSON, ANSWER_TIMEOUT).strip();
        if (answer.startsWith(ControlRequest.ERROR)) {
            throw new IOException(answer);
        }
        return answer;
    }
}
