package io.portside.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import io.portside.server.forking.ForkingModel;
import io.portside.server.forking.ForkingTcpServer;
import io.portside.server.forking.ForkingUdpServer;
import io.portside.server.forking.ForkingUnixDatagramServer;
import io.portside.server.forking.ForkingUnixStreamServer;

/**
 * Test 25 ({@code test_all}) for the five forking names that {@link PublicApiTest} leaves out: each has a public
 * counterpart in {@code io.portside.server.forking}, the servers extend the matching plain servers, and the package
 * exports nothing else than those and the forking model's own types.
 */
@Execution(ExecutionMode.CONCURRENT)
class ForkingApiTest {

    static final Map<String, Class<?>> FORKING = Map.of(
            "ForkingMixIn", ForkingModel.class,
            "ForkingTCPServer", ForkingTcpServer.class,
            "ForkingUDPServer", ForkingUdpServer.class,
            "ForkingUnixStreamServer", ForkingUnixStreamServer.class,
            "ForkingUnixDatagramServer", ForkingUnixDatagramServer.class);

    @Test
    void everyForkingNameHasAPublicCounterpart() {
        FORKING.forEach((python, java) -> assertTrue(Modifier.isPublic(java.getModifiers()), python + " -> " + java));
        assertTrue(TcpServer.class.isAssignableFrom(ForkingTcpServer.class));
        assertTrue(UdpServer.class.isAssignableFrom(ForkingUdpServer.class));
        assertTrue(UnixStreamServer.class.isAssignableFrom(ForkingUnixStreamServer.class));
        assertTrue(UnixDatagramServer.class.isAssignableFrom(ForkingUnixDatagramServer.class));
    }

    @Test
    void forkingPackageHasNoUnmappedPublicClass() throws Exception {
        Path dir = Path.of(ForkingModel.class.getProtectionDomain().getCodeSource().getLocation().toURI()).resolve("io/portside/server/forking");
        Set<String> publicTopLevel = new TreeSet<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class") && !p.getFileName().toString().contains("$")).toList()) {
                String simple = f.getFileName().toString().replace(".class", "");
                if (Modifier.isPublic(Class.forName("io.portside.server.forking." + simple).getModifiers())) {
                    publicTopLevel.add(simple);
                }
            }
        }
        Set<String> expected = new TreeSet<>(Set.of("ForkingOptions", "HandlerClass", "RunningRequest", "WorkerException"));
        FORKING.values().forEach(c -> expected.add(c.getSimpleName()));
        assertEquals(expected, publicTopLevel);
    }
}
