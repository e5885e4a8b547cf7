package io.portside.launcher;

import java.io.Console;

/** Whether the host runs attached to a terminal, so the Gogo console makes sense. */
final class Terminal {

    private Terminal() {
    }

    static boolean isInteractive() {
        if (Boolean.getBoolean("portside.noconsole")) {
            return false;
        }
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            // Java 22+: System.console() may exist without a terminal; isTerminal() tells.
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
