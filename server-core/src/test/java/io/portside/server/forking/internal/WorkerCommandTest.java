package io.portside.server.forking.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.portside.handler.api.Transport;
import io.portside.server.forking.ForkingOptions;

/** The worker's command line. */
class WorkerCommandTest {

    private final ForkingOptions options = ForkingOptions.defaults();

    @Test
    void endsWithTheMainClassTheSocketAndTheNumber() {
        ServerBinding tcp = new ServerBinding(Transport.TCP, new InetSocketAddress(InetAddress.getLoopbackAddress(), 1), StandardProtocolFamily.INET, null);
        List<String> cmd = WorkerCommand.of(options, tcp, Path.of("/run/w3.sock"), 3);
        assertEquals(options.javaCommand().toString(), cmd.get(0));
        assertEquals(List.of(WorkerMain.class.getName(), "/run/w3.sock", "3"), cmd.subList(cmd.size() - 3, cmd.size()));
        assertTrue(cmd.contains("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED"));
        assertTrue(cmd.contains("-Dportside.worker=3"));
        assertTrue(cmd.containsAll(options.jvmOptions()));
        assertFalse(cmd.contains("-Djava.net.preferIPv4Stack=true"), "streams are passed as descriptors of their own family");
    }

    @Test
    void ipv4DatagramWorkersPreferIpv4() {
        ServerBinding udp = new ServerBinding(Transport.UDP, new InetSocketAddress(InetAddress.getLoopbackAddress(), 1), StandardProtocolFamily.INET, null);
        assertTrue(WorkerCommand.of(options, udp, Path.of("/run/w1.sock"), 1).contains("-Djava.net.preferIPv4Stack=true"));
        ServerBinding unix = new ServerBinding(Transport.UNIX_DATAGRAM, UnixDomainSocketAddress.of("/tmp/s"), StandardProtocolFamily.UNIX, null);
        assertFalse(WorkerCommand.of(options, unix, Path.of("/run/w2.sock"), 2).contains("-Djava.net.preferIPv4Stack=true"));
    }

    @Test
    void theFamilyFollowsTheAddress() throws Exception {
        assertEquals(StandardProtocolFamily.INET, ServerBinding.familyOf(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 1)));
        assertEquals(StandardProtocolFamily.INET6, ServerBinding.familyOf(new InetSocketAddress(InetAddress.getByName("::1"), 1)));
        assertEquals(StandardProtocolFamily.UNIX, ServerBinding.familyOf(UnixDomainSocketAddress.of("/tmp/s")));
    }
}
