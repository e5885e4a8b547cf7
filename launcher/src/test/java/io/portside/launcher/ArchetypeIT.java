package io.portside.launcher;

import static io.portside.launcher.HostHarness.awaitAnswer;
import static io.portside.launcher.HostHarness.freePort;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A newcomer's path, end to end: {@code mvn archetype:generate} makes a handler project and a policy project outside
 * the reactor, {@code mvn -o package} builds them (running their own tests on the plain-Java servers), and the jars
 * are deployed as built into a real host, which serves the handler and applies the policy.
 */
class ArchetypeIT {

    private static final Duration SOON = Duration.ofSeconds(20);

    @TempDir
    Path tmp;

    @Test
    void generatedProjectsBuildOfflineAndTheirJarsDeployAsBuilt() throws Exception {
        ArchetypeProjects projects = ArchetypeProjects.prepare(tmp.resolve("maven"));
        int port = freePort();
        Path shout = projects.build(projects.generate("shout", "-Dport=" + port));
        Path guard = projects.build(projects.generate("guard", "-Dvariant=policy"));
        assertTrue(Files.isRegularFile(shout), shout + " was not built");
        assertTrue(Files.isRegularFile(guard), guard + " was not built");

        try (HostHarness host = HostHarness.start(Files.createDirectories(tmp.resolve("home")), Map.of())) {
            // The handler on the endpoint its @HandlerEndpoint declares.
            host.deploy(shout, "shout.jar");
            awaitAnswer(port, "hello", "HELLO", SOON);

            // Two instances of the policy, from factory configurations named as the generated cfg/ shows.
            host.writeConfig("com.example.guard.allowlist-local.cfg", "portside.policy=local\nallow=127.0.0.1, ::1\n");
            host.writeConfig("com.example.guard.allowlist-office.cfg", "portside.policy=office\nallow=192.0.2.0/24\n");
            host.deploy(guard, "guard.jar");
            int admitted = freePort();
            int refused = freePort();
            host.writeConfig("io.portside.listener-local.cfg",
                    "endpoint=tcp://127.0.0.1:" + admitted + "\nhandler=shout\npolicy.required=local\n");
            host.writeConfig("io.portside.listener-office.cfg",
                    "endpoint=tcp://127.0.0.1:" + refused + "\nhandler=shout\npolicy.required=office\n");
            awaitAnswer(admitted, "through local", "THROUGH LOCAL", SOON);
            // Rejected for the policy's own reason, not merely while the required policy is still missing.
            String reason = ": office: 127.0.0.1 is in no allowed range";
            Wire.await(() -> Wire.rejected(refused) && host.logLines().stream().anyMatch(l -> l.contains(reason)), SOON,
                    "a rejection by the office policy on port " + refused);
        }
    }
}
