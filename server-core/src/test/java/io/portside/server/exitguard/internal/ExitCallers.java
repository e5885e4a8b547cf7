package io.portside.server.exitguard.internal;

import java.util.function.IntConsumer;
import java.util.function.ObjIntConsumer;

/**
 * Classes that call the JVM's exits in the ways handler code can: each is rewritten and run by
 * {@link ExitCallRewriterTest}, never run as compiled (it would end the test JVM).
 */
final class ExitCallers {

    private ExitCallers() {
    }

    /** A direct {@code invokestatic}. */
    static final class SystemExit implements Runnable {
        @Override
        public void run() {
            System.exit(3);
        }
    }

    /** {@code invokevirtual} on {@code Runtime.getRuntime()}. */
    static final class RuntimeExit implements Runnable {
        @Override
        public void run() {
            Runtime.getRuntime().exit(4);
        }
    }

    static final class RuntimeHalt implements Runnable {
        @Override
        public void run() {
            Runtime.getRuntime().halt(5);
        }
    }

    /** Inside a lambda body (a private synthetic method of this class). */
    static final class InLambda implements Runnable {
        @Override
        public void run() {
            Runnable exit = () -> System.exit(6);
            exit.run();
        }
    }

    /** A method reference: an {@code H_INVOKESTATIC} handle in the {@code invokedynamic}'s bootstrap arguments. */
    static final class StaticReference implements Runnable {
        @Override
        public void run() {
            IntConsumer exit = System::exit;
            exit.accept(7);
        }
    }

    /** A bound method reference: an {@code H_INVOKEVIRTUAL} handle with a captured {@code Runtime}. */
    static final class BoundReference implements Runnable {
        @Override
        public void run() {
            IntConsumer halt = Runtime.getRuntime()::halt;
            halt.accept(8);
        }
    }

    /** An unbound method reference: the receiver is the first argument. */
    static final class UnboundReference implements Runnable {
        @Override
        public void run() {
            ObjIntConsumer<Runtime> exit = Runtime::exit;
            exit.accept(Runtime.getRuntime(), 9);
        }
    }

    /** The call after other code, on a branch, with the frames that need. */
    static final class OnABranch implements Runnable {
        private final int status;

        OnABranch() {
            this(10);
        }

        OnABranch(int status) {
            this.status = status;
        }

        @Override
        public void run() {
            long sum = 0;
            for (int i = 0; i < 3; i++) {
                sum += i;
            }
            if (sum == 3) {
                System.exit(status);
            }
            throw new AssertionError("not reached: " + sum);
        }
    }

    /** In an interface's static method (Java 9+: the refusal method is a private interface method). */
    interface InInterface {
        static void exit() {
            System.exit(11);
        }
    }

    static final class ViaInterface implements Runnable {
        @Override
        public void run() {
            InInterface.exit();
        }
    }

    /** Names {@code exit} and {@code halt} but no JVM exit: must come back untouched. */
    static final class LookAlike implements Runnable {
        @Override
        public void run() {
            exit(12);
            halt(13);
        }

        static void exit(int status) {
            // not System.exit
        }

        void halt(int status) {
            // not Runtime.halt
        }
    }
}
