package io.portside.launcher;

/**
 * How many carrier threads run the process's virtual threads. The JDK's default is one per core, and a virtual thread
 * is never preempted: as many handlers spinning on the CPU as the machine has cores hold every carrier, and every
 * virtual-thread listener of the host stops answering until they return (71 s in a test on 2 cores). With
 * {@link #forCores} carriers, that many spinning requests leave carriers free, which the OS schedules beside the
 * spinning ones, so other listeners keep answering (docs/limits.md, "CPU-bound handlers").
 */
final class VirtualThreadCarriers {

    /** The JDK's own knob; read once, when the first virtual thread is made. */
    static final String PARALLELISM = "jdk.virtualThreadScheduler.parallelism";

    private VirtualThreadCarriers() {
    }

    /** Twice the cores, and at least two more than the cores (one core: 3). */
    static int forCores(int cores) {
        return Math.max(cores * 2, cores + 2);
    }

    /**
     * Sets the carrier count unless the JVM's options already do ({@code -Djdk.virtualThreadScheduler.parallelism=N}).
     * Must run before the process makes its first virtual thread: the JDK reads it then, and never again.
     */
    static void widen() {
        if (System.getProperty(PARALLELISM) == null) {
            System.setProperty(PARALLELISM, Integer.toString(forCores(Runtime.getRuntime().availableProcessors())));
        }
    }
}
