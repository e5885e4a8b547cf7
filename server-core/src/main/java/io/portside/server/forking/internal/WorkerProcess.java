package io.portside.server.forking.internal;

import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.newsclub.net.unix.AFUNIXSocket;

/**
 * One worker JVM as the server sees it: its state in its pool, the process and its control socket, and the platform
 * thread that has it launched and then reads its reports. (Platform, not virtual: junixsocket blocks in native code,
 * which would pin a carrier.)
 */
final class WorkerProcess {

    enum State { STARTING, IDLE, BUSY, QUITTING, GONE }

    private static final System.Logger LOG = System.getLogger("io.portside.server.forking");
    private static final SecureRandom TOKENS = new SecureRandom();
    private static final AtomicInteger NUMBERS = new AtomicInteger();

    private final int number;
    /** What the worker must send back in its HELLO: only the process we started can read it (from its stdin). */
    private final long token;
    private final Pool pool;
    private final WorkerLauncher launcher;
    private final WorkerEvents events;
    // State, current, served and exiting are guarded by the supervisor's lock.
    private State state = State.STARTING;
    private Running current;
    private int served;
    /** The worker said its handler raised an Error: it exits by itself. */
    private boolean exiting;
    /** Killed on purpose (a drain deadline, a startup failure, close): its end is not news. */
    private volatile boolean aborting;
    private volatile Process process;
    private volatile AFUNIXSocket control;
    private OutputStream out; // guarded by this

    WorkerProcess(Pool pool, WorkerLauncher launcher, WorkerEvents events) {
        this.pool = pool;
        this.launcher = launcher;
        this.events = events;
        this.number = NUMBERS.incrementAndGet();
        this.token = TOKENS.nextLong() & Long.MAX_VALUE;
    }

    int number() {
        return number;
    }

    long token() {
        return token;
    }

    Pool pool() {
        return pool;
    }

    // ------------------------------------------------------------------ state in the pool (lock held)

    State state() {
        return state;
    }

    /** Waits for a request. */
    void idle() {
        state = State.IDLE;
    }

    /** Now serving {@code job}: the attempt is the job's and this worker's. */
    Running busy(Job job) {
        state = State.BUSY;
        Running r = new Running(job, this);
        current = r;
        job.assigned(r);
        return r;
    }

    /** Told to quit, or about to be: no more requests. */
    void quitting() {
        state = State.QUITTING;
    }

    /** Its handler raised an Error: it exits by itself after reporting it. */
    void exiting() {
        exiting = true;
        state = State.QUITTING;
    }

    /** The attempt it is serving, or null. */
    Running current() {
        return current;
    }

    /** It reported the end of its current request. */
    void requestEnded() {
        current = null;
        served++;
    }

    int served() {
        return served;
    }

    /** Whether its end, now, is news: it was neither stopped, nor told to quit, nor exiting by itself. */
    boolean endIsNews() {
        return !aborting && !exiting && state != State.QUITTING;
    }

    /** Its process has ended; returns the attempt it was serving, or null. */
    Running gone() {
        state = State.GONE;
        Running r = current;
        current = null;
        return r;
    }

    boolean isAborting() {
        return aborting;
    }

    // ------------------------------------------------------------------ the process

    void start() {
        Thread t = new Thread(this::run, "portside-forking-worker-" + number);
        t.setDaemon(true);
        t.start();
    }

    ProcessHandle handle() {
        Process p = process;
        return p == null ? null : p.toHandle();
    }

    long pid() {
        Process p = process;
        return p == null ? -1 : p.pid();
    }

    Process process() {
        return process;
    }

    /** The launcher started the JVM: from now on {@link #kill()} stops it. */
    void started(Process p) {
        process = p;
    }

    /** The JVM connected back; the launcher checks it is this worker's before {@link #verified()}. */
    void connected(AFUNIXSocket socket) {
        control = socket;
    }

    /** The JVM proved to be this worker: frames may be sent to it. */
    synchronized void verified() throws IOException {
        out = control.getOutputStream();
    }

    AFUNIXSocket control() {
        return control;
    }

    private void run() {
        try {
            launcher.launch(this);
        } catch (WorkerLauncher.InitFailedException e) {
            events.startFailed(this, e.getMessage(), true);
            return;
        } catch (Exception | Error e) {
            events.startFailed(this, launcher.startFailure(this, e), false);
            return;
        }
        events.ready(this);
        readReports();
    }

    /** Reads DONE reports until the control socket ends, which is how the server learns that the worker is gone. */
    private void readReports() {
        byte[] header = new byte[4];
        try {
            while (true) {
                DataInputStream frame = Wire.read(control.getInputStream(), header);
                events.done(this, Wire.Done.read(frame, pid()));
            }
        } catch (EOFException gone) {
            // the usual end
        } catch (IOException e) {
            if (!aborting && state != State.QUITTING) {
                LOG.log(Level.DEBUG, "Worker " + this + ": control socket failed", e);
            }
        }
        closeQuietly(control);
        events.gone(this, reap());
    }

    /** Waits (bounded) for the process to end and returns its exit status. */
    int reap() {
        Process p = process;
        if (p == null) {
            return -1;
        }
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
            return p.isAlive() ? -1 : p.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            return -1;
        }
    }

    /** Sends one frame, with a descriptor attached to its first byte. */
    synchronized void send(byte[] frame, FileDescriptor fd) throws IOException {
        if (out == null) {
            throw new IOException("worker not connected");
        }
        if (fd != null) {
            control.setOutboundFileDescriptors(fd);
        }
        out.write(frame);
        out.flush();
    }

    /** Asks the worker to exit; kills it if it cannot be told. */
    void quit() {
        try {
            send(new Wire.Frame(Wire.QUIT).bytes(), null);
        } catch (IOException e) {
            kill();
        }
    }

    void kill() {
        aborting = true;
        Process p = process;
        if (p != null) {
            p.destroyForcibly();
        }
        closeQuietly(control);
    }

    static void closeQuietly(Closeable c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }

    @Override
    public String toString() {
        return "pid " + pid() + " (" + pool.name() + ")";
    }
}
