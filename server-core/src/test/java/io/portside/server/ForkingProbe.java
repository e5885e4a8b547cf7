package io.portside.server;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.portside.handler.api.ServerExit;
import io.portside.handler.api.StreamRequestHandler;

/**
 * A stream handler for the forking tests, run in worker processes: it answers line commands until the client closes.
 * {@code pid} answers the worker's process id; {@code echo X} answers X; {@code sleep N} answers after N ms;
 * {@code raise} throws an Exception, {@code server-exit} a {@link ServerExit}; {@code system-exit} calls
 * {@code System.exit(7)}; {@code oom} exhausts the heap.
 */
final class ForkingProbe extends StreamRequestHandler {

    @Override
    protected void handle() throws Exception {
        for (byte[] raw; (raw = rfile.readLine(65536)).length > 0; ) {
            String line = new String(raw, StandardCharsets.UTF_8).strip();
            String arg = line.contains(" ") ? line.substring(line.indexOf(' ') + 1) : "";
            switch (line.contains(" ") ? line.substring(0, line.indexOf(' ')) : line) {
                case "pid" -> answer(Long.toString(ProcessHandle.current().pid()));
                case "echo" -> answer(arg);
                case "sleep" -> {
                    Thread.sleep(Long.parseLong(arg));
                    answer("slept");
                }
                case "raise" -> throw new IllegalStateException("raised on request " + arg);
                case "server-exit" -> throw new ServerExit("exit requested " + arg);
                case "system-exit" -> System.exit(7);
                case "oom" -> {
                    List<long[]> hog = new ArrayList<>();
                    while (true) {
                        hog.add(new long[1 << 20]);
                    }
                }
                default -> answer("unknown " + line);
            }
        }
    }

    private void answer(String text) throws java.io.IOException {
        wfile.write((text + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
