package io.portside.launcher;

import sun.misc.Signal;

/**
 * Turns SIGTERM and SIGINT into an orderly stop. A JVM that exits from its default signal handling reports
 * status 143 or 130; handling the signals ourselves lets the host stop its listeners and exit with 0.
 */
final class Signals {

    private Signals() {
    }

    static void onTermination(Runnable action) {
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), signal -> action.run());
            } catch (IllegalArgumentException unsupported) {
                // This platform has no such signal: the JVM handles it and exits without stopping the host first.
            }
        }
    }
}
