package io.portside.launcher;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** HAProxy in front of the fleet: its configuration, and the server states it reports on its stats socket. */
final class Haproxy {

    private Haproxy() {
    }

    /**
     * A complete haproxy.cfg: TCP round robin over {@code hosts}, each sent a PROXY v2 header, checked every 500 ms
     * and asked its agent every 500 ms. {@code retries 0} and no {@code redispatch}: a connection a host refuses is a
     * failed request for the client, so the test sees every refusal the drain failed to prevent.
     */
    static String config(int frontPort, Path statsSocket, List<FleetHost> hosts) {
        StringBuilder cfg = new StringBuilder("""
                global
                    maxconn 4096
                    stats socket %s mode 600 level admin

                defaults
                    mode tcp
                    timeout connect 2s
                    timeout client 30s
                    timeout server 30s
                    retries 0

                frontend fleet
                    bind 127.0.0.1:%d
                    default_backend portside

                backend portside
                    balance roundrobin
                """.formatted(statsSocket, frontPort));
        for (FleetHost host : hosts) {
            cfg.append("    server %s 127.0.0.1:%d send-proxy-v2 check inter 500ms fall 2 rise 1 agent-check agent-port %d agent-inter 500ms\n"
                    .formatted(host.name, host.port, host.agentPort));
        }
        return cfg.toString();
    }

    /** The status HAProxy shows for {@code server} in backend {@code portside} (UP, DRAIN, DOWN, ...), or the error. */
    static String status(Path statsSocket, String server) {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(statsSocket));
            ch.write(ByteBuffer.wrap("show stat\n".getBytes(StandardCharsets.US_ASCII)));
            StringBuilder csv = new StringBuilder();
            ByteBuffer buf = ByteBuffer.allocate(16384);
            while (ch.read(buf) >= 0) {
                csv.append(StandardCharsets.US_ASCII.decode(buf.flip()));
                buf.clear();
            }
            for (String line : csv.toString().split("\n")) {
                String[] f = line.split(",", -1);
                if (f.length > 17 && f[0].equals("portside") && f[1].equals(server)) {
                    return f[17]; // "# pxname,svname,qcur,...,status" is field 18
                }
            }
            return "not listed";
        } catch (IOException e) {
            return e.toString();
        }
    }
}
