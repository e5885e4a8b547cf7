package io.portside.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import io.portside.handler.api.BaseRequestHandler;
import io.portside.handler.api.DatagramRequestHandler;
import io.portside.handler.api.StreamRequestHandler;
import io.portside.server.concurrency.ThreadPerRequest;

/**
 * Test 25 ({@code test_all}): every name of CPython's {@code __all__} on Linux, minus the five forking ones
 * (a later issue), has its Java counterpart; and {@code io.portside.server} exports no public class beyond them
 * and the two abstract transport bases.
 */
@Execution(ExecutionMode.CONCURRENT)
class PublicApiTest {

    /** The 13 non-forking names of CPython's {@code __all__} on Linux and their Java counterparts. */
    static final Map<String, Class<?>> ALL = Map.ofEntries(
            Map.entry("BaseServer", BaseServer.class),
            Map.entry("TCPServer", TcpServer.class),
            Map.entry("UDPServer", UdpServer.class),
            Map.entry("ThreadingUDPServer", ThreadingUdpServer.class),
            Map.entry("ThreadingTCPServer", ThreadingTcpServer.class),
            Map.entry("BaseRequestHandler", BaseRequestHandler.class),
            Map.entry("StreamRequestHandler", StreamRequestHandler.class),
            Map.entry("DatagramRequestHandler", DatagramRequestHandler.class),
            Map.entry("ThreadingMixIn", ThreadPerRequest.class),
            Map.entry("UnixStreamServer", UnixStreamServer.class),
            Map.entry("UnixDatagramServer", UnixDatagramServer.class),
            Map.entry("ThreadingUnixStreamServer", ThreadingUnixStreamServer.class),
            Map.entry("ThreadingUnixDatagramServer", ThreadingUnixDatagramServer.class));

    /** Public in io.portside.server although Python has no such name: shared bases, the get_request pair, the processor seam. */
    static final Set<String> JAVA_ONLY = Set.of("StreamServer", "DatagramServer", "IncomingRequest",
            "RequestProcessor", "AcceptedRequest", // the seam a host plugs its connection pipeline into
            "UnixSocketFile", // a Unix server's socket file: permissions and group, which Python leaves to the umask
            "ProtocolServing"); // asyncio's protocol_factory given to a socketserver stream server (docs/protocols.md)

    @Test
    void everyPythonNameHasAPublicCounterpart() {
        assertEquals(13, ALL.size());
        ALL.forEach((python, java) -> assertTrue(Modifier.isPublic(java.getModifiers()), python + " -> " + java));
    }

    @Test
    void serverHierarchyMirrorsPython() {
        assertTrue(StreamServer.class.isAssignableFrom(TcpServer.class));
        assertTrue(StreamServer.class.isAssignableFrom(UnixStreamServer.class));
        assertTrue(DatagramServer.class.isAssignableFrom(UdpServer.class));
        assertTrue(DatagramServer.class.isAssignableFrom(UnixDatagramServer.class));
        assertTrue(TcpServer.class.isAssignableFrom(ThreadingTcpServer.class));
        assertTrue(UdpServer.class.isAssignableFrom(ThreadingUdpServer.class));
        assertTrue(UnixStreamServer.class.isAssignableFrom(ThreadingUnixStreamServer.class));
        assertTrue(UnixDatagramServer.class.isAssignableFrom(ThreadingUnixDatagramServer.class));
        Stream.of(BaseServer.class, StreamServer.class, DatagramServer.class)
                .forEach(c -> assertTrue(Modifier.isAbstract(c.getModifiers()), c + " is abstract, as BaseServer is in Python"));
    }

    /** No public class is missing from the mapping and none is extra (CPython: __all__ equals the public names). */
    @Test
    void serverPackageHasNoUnmappedPublicClass() throws Exception {
        Path dir = Path.of(BaseServer.class.getProtectionDomain().getCodeSource().getLocation().toURI()).resolve("io/portside/server");
        Set<String> publicTopLevel = new TreeSet<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class") && !p.getFileName().toString().contains("$")).toList()) {
                String simple = f.getFileName().toString().replace(".class", "");
                Class<?> c = Class.forName("io.portside.server." + simple);
                if (Modifier.isPublic(c.getModifiers())) {
                    publicTopLevel.add(simple);
                }
            }
        }
        Set<String> expected = new TreeSet<>(JAVA_ONLY);
        expected.addAll(ALL.values().stream().filter(c -> c.getPackageName().equals("io.portside.server"))
                .map(Class::getSimpleName).collect(Collectors.toSet()));
        assertEquals(expected, publicTopLevel);
    }
}
