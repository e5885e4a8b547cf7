package io.portside.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fresh home as users get it: every sample and policy bundle is seeded into deploy/, and the seeds' clients,
 * without any setting, reach the samples on their default endpoints. Skipped where a default port is busy.
 */
class SampleDefaultsIT {

    @TempDir
    Path home;
    @TempDir
    Path client;

    @Test
    void theSeedsClientsReachEverySampleOnItsDefaultEndpoint() throws Exception {
        for (int port : new int[] {9999, 9998, 9997, 9996, 9995}) {
            assumeTrue(HostDeployIT.free(port), "port " + port + " is busy on this machine (is a Portside host running?)");
        }
        SeedClients.assumePython();
        Files.createDirectories(home.resolve("files"));
        Files.writeString(home.resolve("files/notes.txt"), "served from <home>/files by default\n");
        try (HostHarness host = HostHarness.start(home, Map.of("portside.seed.samples", "true"))) {
            try (Stream<Path> jars = Files.list(home.resolve("deploy"))) {
                assertEquals(List.of("echo.jar", "file-transfer.jar", "io.portside.listener-echo-protocol.cfg", "kv.jar", "policy-address.jar",
                        "policy-client-certificate.jar", "policy-connection-limit.jar", "policy-rate-limit.jar", "thread-reporter.jar"),
                        jars.map(p -> p.getFileName().toString()).sorted().toList());
            }
            HostHarness.awaitAnswer(9999, "up", "UP", Duration.ofSeconds(10));
            HostHarness.awaitAnswer(9995, "protocol", "PROTOCOL", Duration.ofSeconds(10)); // the echo sample's protocol
            host.awaitBound("thread-reporter-tcp", "tcp://127.0.0.1:9998", Duration.ofSeconds(10));
            host.awaitBound("file-transfer-tcp", "tcp://127.0.0.1:9997", Duration.ofSeconds(10));
            HostHarness.awaitAnswer(9996, "SET greeting hello", "OK", Duration.ofSeconds(10));
            HostHarness.awaitAnswer(9996, "GET greeting", "hello", Duration.ofSeconds(10));

            SeedClients.Run echo = SeedClients.run("tcp_client.py", Map.of(), client, "", "hello", "default");
            assertTrue(echo.stdout().contains("Received: HELLO DEFAULT"), echo.toString());

            SeedClients.Run threads = SeedClients.run("thread_client.py", Map.of(), client, "");
            assertTrue(threads.stdout().matches("(?s)Received: portside-thread-reporter-tcp-threading-\\d+: Hello World 1\n.*Hello World 3\n"), threads.toString());

            SeedClients.Run files = SeedClients.run("file_client.py", Map.of(), client, "get notes.txt\n");
            assertArrayEquals(Files.readAllBytes(home.resolve("files/notes.txt")), Files.readAllBytes(client.resolve("notes.txt")), files.toString());
            assertTrue(files.stdout().matches("(?s).*md5 clinet and server ([0-9a-f]{32}) \\1.*"), files.toString());
        }
    }
}
