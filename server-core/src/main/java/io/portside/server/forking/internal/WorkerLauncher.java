package io.portside.server.forking.internal;

import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

import io.portside.server.forking.ForkingOptions;

/**
 * Starts worker JVMs and does the handshake: the worker connects back to a socket in the run folder, proves it is the
 * process we started (HELLO with the token from its stdin, and its pid), gets INIT and answers READY once its handler
 * class is loaded, all within {@code startupTimeout}. Runs on the worker's own thread.
 */
final class WorkerLauncher {

    private final ForkingOptions options;
    private final RunFolder runFolder;
    private final Supplier<ServerBinding> binding;
    private final BooleanSupplier closed;

    /**
     * @param binding the server the workers serve, read at each launch
     * @param closed  whether the supervisor has closed: a launch then ends before waiting for the worker
     */
    WorkerLauncher(ForkingOptions options, RunFolder runFolder, Supplier<ServerBinding> binding, BooleanSupplier closed) {
        this.options = options;
        this.runFolder = runFolder;
        this.binding = binding;
        this.closed = closed;
    }

    /**
     * Starts the JVM of {@code worker}, waits for it to connect back and to load the handler class.
     *
     * @throws InitFailedException if the worker cannot load the handler class: retrying will not help
     */
    void launch(WorkerProcess worker) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + options.startupTimeout().toNanos();
        ServerBinding server = binding.get();
        Path socketPath = runFolder.path().resolve("w" + worker.number() + ".sock");
        try (AFUNIXServerSocket listener = AFUNIXServerSocket.bindOn(AFUNIXSocketAddress.of(socketPath), true)) {
            listener.setSoTimeout(millisLeft(deadline));
            Process p = new ProcessBuilder(WorkerCommand.of(options, server, socketPath, worker.number())).redirectErrorStream(true).start();
            worker.started(p);
            p.onExit().thenRun(() -> WorkerProcess.closeQuietly(listener)); // a JVM that dies while starting ends the wait at once
            OutputStream stdin = p.getOutputStream(); // kept open: its EOF tells the worker that the server is gone
            stdin.write((worker.token() + "\n").getBytes(StandardCharsets.US_ASCII));
            stdin.flush();
            pumpOutput(p, worker.number());
            if (closed.getAsBoolean()) {
                throw new IOException("server closed");
            }
            worker.connected(listener.accept());
        }
        handshake(worker, server, deadline);
    }

    /** HELLO from the worker, INIT to it, READY (or INIT_FAILED) back. */
    private static void handshake(WorkerProcess worker, ServerBinding server, long deadline) throws IOException {
        AFUNIXSocket control = worker.control();
        control.setSoTimeout(millisLeft(deadline));
        byte[] header = new byte[4];
        if (!Wire.isHello(Wire.read(control.getInputStream(), header), worker.token(), worker.pid())) {
            throw new IOException("a process that is not this worker connected to its control socket");
        }
        worker.verified();
        worker.send(server.init(worker.pool().handler()).encode(), server.shared());
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

    /** Why a start failed, in a few words: an exit status says more than the broken pipe it caused. */
    String startFailure(WorkerProcess worker, Throwable e) {
        Process p = worker.process();
        if (p != null) {
            try {
                if (p.waitFor(200, TimeUnit.MILLISECONDS)) {
                    return "exited with status " + p.exitValue() + " while starting (its output above says why)";
                }
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        return e instanceof SocketTimeoutException ? "not ready within " + options.startupTimeout().toMillis() + " ms" : String.valueOf(e);
    }

    private static int millisLeft(long deadline) throws SocketTimeoutException {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
            throw new SocketTimeoutException("startup deadline passed");
        }
        return (int) Math.min(Integer.MAX_VALUE, left);
    }

    /** Copies the worker's own output (its JVM's messages, whatever its handlers print) to this JVM's stderr. */
    private static void pumpOutput(Process p, int number) {
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

    /** The worker reported that it cannot load the handler class: retrying will not help. */
    static final class InitFailedException extends IOException {
        private static final long serialVersionUID = 1L;

        InitFailedException(String message) {
            super(message);
        }
    }
}
