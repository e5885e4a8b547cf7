package io.portside.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Quitting {@code portside top}: 'q' on the terminal (read key by key: the terminal is put in non-canonical, no-echo
 * mode with {@code stty} and put back at the end, also on Ctrl-C), or Ctrl-C / SIGTERM, which quit cleanly with
 * status 0. Without a terminal only the signals quit.
 */
final class TerminalKeys implements AutoCloseable {

    private final CountDownLatch quit = new CountDownLatch(1);
    private final String saved;
    private final Thread restoreOnExit;

    private TerminalKeys(String saved) {
        this.saved = saved;
        this.restoreOnExit = saved == null ? null : new Thread(this::restore, "portside-top-restore");
    }

    static TerminalKeys open() {
        String saved = Terminal.isInteractive() ? stty("-g") : null;
        TerminalKeys keys = new TerminalKeys(saved);
        Signals.onTermination(keys.quit::countDown);
        if (saved != null && stty("-icanon -echo min 1") != null) {
            Runtime.getRuntime().addShutdownHook(keys.restoreOnExit);
            Thread.ofPlatform().daemon().name("portside-top-keys").start(() -> keys.readKeys(System.in));
        }
        return keys;
    }

    /** Waits up to {@code time}; true when the user asked to quit. */
    boolean awaitQuit(Duration time) throws InterruptedException {
        return quit.await(time.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void readKeys(InputStream in) {
        try {
            for (int c; (c = in.read()) >= 0; ) {
                if (c == 'q' || c == 'Q' || c == 3) {
                    quit.countDown();
                    return;
                }
            }
        } catch (IOException e) {
            // no more keys
        }
    }

    @Override
    public void close() {
        if (saved != null) {
            restore();
            try {
                Runtime.getRuntime().removeShutdownHook(restoreOnExit);
            } catch (IllegalStateException exiting) {
                // the hook runs anyway
            }
        }
    }

    private void restore() {
        stty(saved);
    }

    /** Runs {@code stty ARGS} on the controlling terminal; its output, or null when it failed. */
    private static String stty(String args) {
        try {
            Process p = new ProcessBuilder("sh", "-c", "stty " + args + " < /dev/tty").redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String output = new String(p.getInputStream().readAllBytes()).strip();
            return p.waitFor() == 0 ? output : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
