package io.portside.server.internal;

import java.io.IOException;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;

/** Python's {@code allow_reuse_address} and {@code allow_reuse_port}, which stream and datagram servers set alike. */
public final class ReuseOptions {

    private ReuseOptions() {
    }

    /** Sets SO_REUSEADDR and SO_REUSEPORT as asked, before bind; IP families only (as in CPython main). */
    public static void apply(NetworkChannel socket, ProtocolFamily family, boolean reuseAddress, boolean reusePort)
            throws IOException {
        if (family == StandardProtocolFamily.UNIX) {
            return;
        }
        if (reuseAddress) {
            socket.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        }
        if (reusePort) {
            socket.setOption(StandardSocketOptions.SO_REUSEPORT, true);
        }
    }

    /** True when this platform's IP sockets take SO_REUSEPORT (Linux, the BSDs and macOS do; Windows has none). */
    public static boolean reusePortSupported() {
        try (DatagramChannel probe = DatagramChannel.open()) {
            return probe.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT);
        } catch (IOException e) {
            return false;
        }
    }
}
