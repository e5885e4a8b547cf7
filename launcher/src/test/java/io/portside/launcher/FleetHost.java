package io.portside.launcher;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One Portside host of the fleet: a real launcher process in its own home with the echo sample behind two listeners
 * that read the PROXY protocol ({@code front}: v2 for HAProxy, {@code front-v1}: v1 for nginx), the address policy
 * {@code edge} on both, and the HAProxy agent answering for {@code front}. Its ports stay the same across restarts.
 */
final class FleetHost implements AutoCloseable {

    /** The source address every host's policy refuses; the rest of 127.0.0.0/8 is allowed. */
    static final String DENIED = "127.0.0.66";
    private static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    final String name;
    final Path home;
    final int port;
    final int v1Port;
    final int agentPort;
    private LauncherProcess process;

    private FleetHost(String name, Path home) throws IOException {
        this.name = name;
        this.home = home;
        this.port = HostHarness.freePort();
        this.v1Port = HostHarness.freePort();
        this.agentPort = HostHarness.freePort();
    }

    /** Writes the home's deploy/ folder (every file before the first start, so nothing binds a default endpoint). */
    static FleetHost create(String name, Path home, String stopDrain) throws IOException {
        FleetHost host = new FleetHost(name, home);
        Path deploy = Files.createDirectories(home.resolve("deploy"));
        Files.copy(HostHarness.sampleBundle("echo"), deploy.resolve("echo.jar"));
        Files.copy(HostHarness.sampleBundle("policy-address"), deploy.resolve("policy-address.jar"));
        // the sample's own endpoint, moved off its default port so that three hosts fit on one machine
        write(deploy, "io.portside.sample.echo.stream.cfg", "portside.endpoint=tcp://127.0.0.1:" + HostHarness.freePort() + "\n");
        write(deploy, "io.portside.policy.address-edge.cfg", "portside.policy=edge\nallow=127.0.0.0/8\ndeny=" + DENIED + "\n");
        write(deploy, "io.portside.listener-front.cfg", listener(host.port, "v2"));
        write(deploy, "io.portside.listener-front-v1.cfg", listener(host.v1Port, "v1"));
        write(deploy, "io.portside.agent.cfg", "endpoint=tcp://127.0.0.1:" + host.agentPort + "\nlisteners=front\nstop.drain=" + stopDrain + "\n");
        return host;
    }

    private static String listener(int port, String protocol) {
        return "endpoint=tcp://127.0.0.1:" + port + "\nhandler=echo\nconcurrency=virtual\n"
                + "proxy.protocol=" + protocol + "\nproxy.trusted=127.0.0.1\npolicy.required=edge\n";
    }

    private static void write(Path deploy, String name, String content) throws IOException {
        Files.writeString(deploy.resolve(name), content);
    }

    /** Starts the launcher and waits until it serves a proxied request and its agent says {@code up ready}. */
    void start(Duration timeout) throws IOException {
        process = LauncherProcess.start(home);
        awaitServing(timeout);
    }

    /** Waits until {@code front} answers a request behind a v2 header and the agent says {@code up ready}. */
    void awaitServing(Duration timeout) {
        HostHarness.await(() -> "HELLO".equals(directV2("127.0.0.9", "hello")) && "up ready\n".equals(probeAgent()), timeout,
                () -> name + " to serve and its agent to say up ready (agent: " + probeAgent() + "); output:\n" + process.tail(0));
    }

    /** SIGTERM and the wait for the exit; how long it took, in ms. */
    long stop() throws InterruptedException {
        long began = System.nanoTime();
        int status = process.stop();
        if (status != 0) {
            throw new AssertionError(name + " exited with " + status + ":\n" + process.tail(0));
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
    }

    /** Replaces deploy/echo.jar with a fresh copy of the sample (a bundle update, as an operator's rollout does it). */
    void redeployEcho() throws IOException {
        Path deploy = home.resolve("deploy");
        Path part = deploy.resolve("echo.jar.part");
        Files.copy(HostHarness.sampleBundle("echo"), part, StandardCopyOption.REPLACE_EXISTING);
        Files.move(part, deploy.resolve("echo.jar"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    LauncherProcess process() {
        return process;
    }

    /** Waits until the host logs that its policy refused {@code source} on {@code listener}. */
    void awaitRejected(String listener, String source, Duration timeout) {
        process.awaitLine(0, l -> l.contains("Listener " + listener + ": rejected /" + source + ":"), timeout,
                name + " to log the rejection of " + source + " on " + listener);
    }

    /** The agent's reply, or null when it cannot be reached. */
    String probeAgent() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", agentPort), 1000);
            s.setSoTimeout(2000);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            s.getInputStream().transferTo(out);
            return out.toString(StandardCharsets.US_ASCII);
        } catch (IOException unreachable) {
            return null;
        }
    }

    /** One request straight to {@code front}, behind a v2 header naming {@code client}, as HAProxy sends it; null if not served. */
    String directV2(String client, String line) {
        try (Socket s = Wire.connect("127.0.0.1", port, "127.0.0.1")) {
            byte[] payload = (line + "\n").getBytes(StandardCharsets.US_ASCII);
            ByteBuffer b = ByteBuffer.allocate(28 + payload.length);
            b.put(V2_SIGNATURE).put((byte) 0x21).put((byte) 0x11).putShort((short) 12);
            b.put(java.net.InetAddress.getByName(client).getAddress()).put(new byte[] {127, 0, 0, 1}).putShort((short) 4242).putShort((short) port);
            s.getOutputStream().write(b.put(payload).array());
            InputStream in = s.getInputStream();
            return HostHarness.readLine(in);
        } catch (IOException notServed) {
            return null;
        }
    }

    @Override
    public void close() {
        if (process != null) {
            try {
                process.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
