package io.portside.server.forking.internal;

import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

import io.portside.server.forking.WorkerException;

/**
 * One worker JVM as the server sees it: the process, its control socket, and the platform thread that starts it and
 * then reads its reports. (Platform, not virtual: junixsocket blocks in native code, which would pin a carrier.)
 */
final class WorkerProcess {

    enum State { STARTING, IDLE, BUSY, QUITTING, GONE }

    final int number;
    final Pool pool;
    private final Supervisor supervisor;
    private final long token;
    // State, current and the flags below are guarded by the supervisor's lock.
    State state = State.STARTING;
    Running current;
    int served;
    /** The worker said its handler raised an Error: it exits by itself. */
    boolean exiting;
    /** Killed on purpose (a drain deadline, a startup failure, close): its end is not news. */
    volatile boolean aborting;
    private volatile Process process;
    private volatile AFUNIXSocket control;
    private OutputStream out; // guarded by this

    WorkerProcess(Supervisor supervisor, Pool pool, int number, long token) {
        this.supervisor = supervisor;
        this.pool = pool;
        this.number = number;
        this.token = token;
    }

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

    private void run() {
        try {
            launch();
        } catch (InitFailedException e) {
            supervisor.startFailed(this, e.getMessage(), true);
            return;
        } catch (Exception | Error e) {
            supervisor.startFailed(this, startFailure(e), false);
            return;
        }
        supervisor.ready(this);
        readReports();
    }

    /** Why a start failed, in a few words: an exit status says more than the broken pipe it caused. */
    private String startFailure(Throwable e) {
        Process p = process;
        if (p != null) {
            try {
                if (p.waitFor(200, TimeUnit.MILLISECONDS)) {
                    return "exited with status " + p.exitValue() + " while starting (its output above says why)";
                }
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        return e instanceof SocketTimeoutException ? "not ready within " + supervisor.options().startupTimeout().toMillis() + " ms" : String.valueOf(e);
    }

    /** Starts the JVM, waits for it to connect back and to load the handler class. */
    private void launch() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + supervisor.options().startupTimeout().toNanos();
        Path socketPath = supervisor.runDirectory().resolve("w" + number + ".sock");
        try (AFUNIXServerSocket listener = AFUNIXServerSocket.bindOn(AFUNIXSocketAddress.of(socketPath), true)) {
            listener.setSoTimeout(millisLeft(deadline));
            List<String> command = supervisor.command(socketPath, number);
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            process = p;
            p.onExit().thenRun(() -> closeQuietly(listener)); // a JVM that dies while starting ends the wait at once
            OutputStream stdin = p.getOutputStream(); // kept open: its EOF tells the worker that the server is gone
            stdin.write((token + "\n").getBytes(StandardCharsets.US_ASCII));
            stdin.flush();
            pumpOutput(p);
            if (supervisor.isClosed()) {
                throw new IOException("server closed");
            }
            control = listener.accept();
        }
        control.setSoTimeout(millisLeft(deadline));
        byte[] header = new byte[4];
        DataInputStream hello = Wire.read(control.getInputStream(), header);
        if (hello.readByte() != Wire.HELLO || hello.readLong() != token || hello.readLong() != process.pid()) {
            throw new IOException("a process that is not this worker connected to its control socket");
        }
        synchronized (this) {
            out = control.getOutputStream();
            Wire.Frame init = supervisor.initFrame(pool.handler);
            FileDescriptor shared = supervisor.sharedDescriptor();
            if (shared != null) {
                control.setOutboundFileDescriptors(shared);
            }
            init.writeTo(out);
        }
        control.setSoTimeout(millisLeft(deadline));
        DataInputStream answer = Wire.read(control.getInputStream(), header);
        byte type = answer.readByte();
        if (type == Wire.INIT_FAILED) {
            throw new InitFailedException(Wire.readString(answer));
        }
        if (type != Wire.READY) {
            throw new IOException("unexpected answer " + type + " to INIT");
        }
        control.setSoTimeout(0);
    }

    private static int millisLeft(long deadline) throws SocketTimeoutException {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
            throw new SocketTimeoutException("startup deadline passed");
        }
        return (int) Math.min(Integer.MAX_VALUE, left);
    }

    /** Reads DONE reports until the control socket ends, which is how the server learns that the worker is gone. */
    private void readReports() {
        byte[] header = new byte[4];
        try {
            while (true) {
                DataInputStream frame = Wire.read(control.getInputStream(), header);
                byte type = frame.readByte();
                if (type != Wire.DONE) {
                    throw new IOException("unexpected report " + type);
                }
                long id = frame.readLong();
                byte outcome = frame.readByte();
                WorkerException failure = outcome == Wire.OK ? null : Wire.readFailure(frame, pid());
                supervisor.done(this, id, outcome, failure);
            }
        } catch (EOFException gone) {
            // the usual end
        } catch (IOException e) {
            if (!aborting && state != State.QUITTING) {
                System.getLogger("io.portside.server.forking").log(System.Logger.Level.DEBUG, "Worker " + this + ": control socket failed", e);
            }
        }
        closeQuietly(control);
        supervisor.gone(this, reap());
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


    /** Copies the worker's own output (its JVM's messages, whatever its handlers print) to this JVM's stderr. */
    private void pumpOutput(Process p) {
        Thread pump = new Thread(() -> {
            PrintStream err = System.err;
            String prefix = "[portside worker " + p.pid() + "] ";
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    err.println(prefix + line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "portside-forking-output-" + number);
        pump.setDaemon(true);
        pump.start();
    }

    private static void closeQuietly(java.io.Closeable c) {
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

    /** The worker reported that it cannot load the handler class: retrying will not help. */
    static final class InitFailedException extends IOException {
        private static final long serialVersionUID = 1L;

        InitFailedException(String message) {
            super(message);
        }
    }
}
