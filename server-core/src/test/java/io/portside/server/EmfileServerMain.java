package io.portside.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import io.portside.handler.api.StreamRequestHandler;
import io.portside.server.concurrency.ConcurrencyModel;

/**
 * A separate server JVM for {@link SpareDescriptorTest}, started with a small descriptor limit: a TCP server whose
 * handler says "hi" and closes; then every free descriptor taken by open files, as a leaking library would. Prints
 * {@code PORT n}, then {@code EXHAUSTED n}; a line on stdin frees 16 files again ({@code FREED}).
 */
public final class EmfileServerMain {

    private EmfileServerMain() {
    }

    public static void main(String[] args) throws Exception {
        TcpServer server = new TcpServer(new InetSocketAddress("127.0.0.1", 0), () -> new StreamRequestHandler() {
            @Override
            protected void handle() throws IOException {
                wfile.write("hi\n".getBytes());
                wfile.flush();
            }
        }, ConcurrencyModel.threading(), true);
        Thread.ofPlatform().daemon().start(() -> {
            try {
                server.serveForever();
            } catch (IOException e) {
                e.printStackTrace();
            }
        });
        int port = server.serverAddress().getPort();
        try (Socket warm = new Socket("127.0.0.1", port)) { // loads the accept path's classes while files can be opened
            warm.getInputStream().read();
        }
        SpareDescriptor.isExhaustion(new IOException("warm"));
        // As in a host, logging is set up before descriptors run out: JUL's first line opens the time-zone database.
        System.getLogger(EmfileServerMain.class.getName()).log(System.Logger.Level.INFO, "serving on {0}", String.valueOf(port));
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        System.out.println("PORT " + port);
        List<FileChannel> files = new ArrayList<>();
        try {
            while (true) {
                files.add(FileChannel.open(Path.of("/dev/null"), StandardOpenOption.READ));
            }
        } catch (IOException e) {
            System.out.println("EXHAUSTED " + files.size() + " " + e.getMessage());
        }
        System.out.flush();
        if (in.readLine() != null) {
            for (int i = 0; i < 16; i++) {
                files.remove(files.size() - 1).close();
            }
            System.out.println("FREED");
            System.out.flush();
        }
        in.readLine(); // until the test closes stdin
    }
}
