package io.portside.launcher;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar launcher-all.jar [run] [--home DIR]}: starts the host in the foreground and stops it cleanly,
 * with exit status 0, on Ctrl-C, SIGTERM or {@code stop} on its control socket (a second one skips what is left of the
 * health agent's drain). {@code status}, {@code top} and {@code stop} are the control socket's clients
 * ({@link ControlCommands}).
 */
public final class Main {

    private static final System.Logger LOG = System.getLogger("io.portside.launcher");

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        Path home = Path.of(System.getProperty("portside.home", "run"));
        if (args.length > 0 && ControlCommands.handles(args[0])) {
            System.exit(ControlCommands.run(args[0], Arrays.copyOfRange(args, 1, args.length), home, System.out, System.err));
            return;
        }
        VirtualThreadCarriers.widen(); // first: before anything makes a virtual thread
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "run" -> { }
                case "--home" -> {
                    if (i + 1 >= args.length) {
                        usage("--home needs a directory");
                    }
                    home = Path.of(args[++i]);
                }
                case "-h", "--help" -> {
                    System.out.println(USAGE);
                    return;
                }
                default -> usage("unknown argument '" + args[i] + "'");
            }
        }
        ConsoleLogging.install();
        run(home.toAbsolutePath().normalize());
    }

    private static void run(Path home) throws Exception {
        HostLock lock;
        try {
            lock = HostLock.acquire(home); // before Host.start, which would wipe a running host's bundle cache
        } catch (IOException e) {
            LOG.log(Level.ERROR, "Refusing to start: {0}", e.getMessage());
            System.exit(1);
            return;
        }
        Host host;
        try {
            host = Host.start(home, Map.of());
        } catch (HomeFolders.UnsafeHomeException e) {
            System.exit(1); // the host has said why, in one line
            return;
        }
        CountDownLatch stop = new CountDownLatch(1);
        Runnable terminate = () -> {
            if (stop.getCount() == 0) {
                host.skipDrain(); // asked again while draining: stop now
            }
            stop.countDown();
        };
        Signals.onTermination(terminate);
        HostStatusSource status = new HostStatusSource(host.context(), home);
        Optional<ControlServer> control = ControlServer.start(home, status::now, status::observe, terminate);
        host.onFrameworkStopped(stop::countDown);
        stop.await();
        host.stop();
        control.ifPresent(ControlServer::close);
        lock.close();
        System.exit(0);
    }

    private static final String USAGE = """
            usage: portside run [--home DIR]
              Starts the Portside host in the foreground (home defaults to ./run).
              Handler bundles and .cfg files dropped into DIR/deploy are picked up live.
              Ctrl-C, SIGTERM or 'portside stop' stops it.
            """ + ControlCommands.USAGE;

    private static void usage(String problem) {
        System.err.println("portside: " + problem);
        System.err.println(USAGE);
        System.exit(2);
    }
}
