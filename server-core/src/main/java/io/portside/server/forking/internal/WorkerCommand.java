package io.portside.server.forking.internal;

import java.io.File;
import java.net.StandardProtocolFamily;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.portside.server.forking.ForkingOptions;

/** The command line of a worker JVM. */
final class WorkerCommand {

    private WorkerCommand() {
    }

    /** The command that starts worker {@code number} of {@code binding}, which connects back to {@code controlSocket}. */
    static List<String> of(ForkingOptions options, ServerBinding binding, Path controlSocket, int number) {
        List<String> cmd = new ArrayList<>();
        cmd.add(options.javaCommand().toString());
        cmd.add("-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir")); // the server's, unless the options say otherwise
        cmd.addAll(options.jvmOptions());
        cmd.add("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED");
        cmd.add("--enable-native-access=ALL-UNNAMED");
        // A worker's crash report outlives the run folder: it goes beside it (the home's work/forking in the host).
        cmd.add("-XX:ErrorFile=" + ScratchFolders.root().resolve("portside-worker-hs_err_pid%p.log"));
        cmd.add("-XX:-CreateCoredumpOnCrash");
        if (!binding.transport().isStream() && binding.family() == StandardProtocolFamily.INET) {
            cmd.add("-Djava.net.preferIPv4Stack=true"); // see Descriptors.datagramChannel
        }
        cmd.add("-Dportside.worker=" + number);
        cmd.add("-cp");
        cmd.add(String.join(File.pathSeparator, options.workerClassPath().stream().map(p -> p.toAbsolutePath().toString()).toList()));
        cmd.add(WorkerMain.class.getName());
        cmd.add(controlSocket.toString());
        cmd.add(Integer.toString(number));
        return cmd;
    }
}
