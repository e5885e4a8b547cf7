package io.portside.launcher;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar launcher-all.jar [run] [--home DIR]}: starts the host in the foreground and stops it cleanly,
 * with exit status 0, on Ctrl-C or SIGTERM (a second one skips what is left of the health agent's drain).
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        VirtualThreadCarriers.widen(); // first: before anything makes a virtual thread
        Path home = Path.of(System.getProperty("portside.home", "run"));
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
        Host host;
        try {
            host = Host.start(home.toAbsolutePath().normalize(), Map.of());
        } catch (HomeFolders.UnsafeHomeException e) {
            System.exit(1); // the host has said why, in one line
            return;
        }
        CountDownLatch stop = new CountDownLatch(1);
        Signals.onTermination(() -> {
            if (stop.getCount() == 0) {
                host.skipDrain(); // asked again while draining: stop now
            }
            stop.countDown();
        });
        host.onFrameworkStopped(stop::countDown);
        stop.await();
        host.stop();
        System.exit(0);
    }

    private static final String USAGE = """
            usage: portside run [--home DIR]
              Starts the Portside host in the foreground (home defaults to ./run).
              Handler bundles and .cfg files dropped into DIR/deploy are picked up live.
              Ctrl-C or SIGTERM stops it.""";

    private static void usage(String problem) {
        System.err.println("portside: " + problem);
        System.err.println(USAGE);
        System.exit(2);
    }
}
