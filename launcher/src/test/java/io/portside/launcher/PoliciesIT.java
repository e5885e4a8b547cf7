package io.portside.launcher;

import static io.portside.launcher.HostHarness.freePort;
import static io.portside.launcher.HostHarness.sampleBundle;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The policy bundles in a real host, attached to echo listeners by {@code policy.target}: allowed and rejected
 * clients (a rejected TCP client reads EOF right after connecting), limits reached and released, bad configurations,
 * and policy bundles removed and re-added while the listener keeps its socket.
 */
class PoliciesIT {

    private static final Duration SOON = Duration.ofSeconds(10);

    @TempDir
    Path home;
    HostHarness host;

    @BeforeEach
    void boot() throws Exception {
        host = HostHarness.start(home, Map.of());
        // echo's own endpoints moved off the defaults; the tests' listeners select it by name.
        host.writeNewConfig("io.portside.sample.echo.stream.cfg", "portside.endpoint=tcp://127.0.0.1:" + freePort() + "\n");
        host.writeNewConfig("io.portside.sample.echo.datagram.cfg", "portside.endpoint=udp://127.0.0.1:" + freePort() + "\n");
        host.deploy(sampleBundle("echo"), "echo.jar");
    }

    @AfterEach
    void stop() {
        host.close();
    }

    /** An echo listener named {@code name} on {@code endpoint} that requires the policies {@code policyTarget} matches. */
    private void guardedListener(String name, String endpoint, String policyTarget) throws Exception {
        host.writeConfig("io.portside.listener-" + name + ".cfg", "endpoint=" + endpoint + "\nhandler=echo\npolicy.target=" + policyTarget + "\n");
    }

    private static boolean served(String host, int port, String from) {
        try {
            return "PING".equals(Wire.exchange(host, port, from, "ping"));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static void awaitServed(String host, int port, String from) {
        Wire.await(() -> served(host, port, from), SOON, from + " to be served on " + host + ":" + port);
    }

    private static void awaitRejected(String host, int port, String from) {
        Wire.await(() -> Wire.rejected(host, port, from), SOON, from + " to be rejected on " + host + ":" + port);
    }

    /**
     * Probes until {@code from} is rejected on {@code address:port} for the reason the log line {@code logRegex} names. A
     * rejection alone is not enough: until every policy the listener asks for is registered, it rejects for another
     * reason ("no policy available", or more policies missing), and only a probe made after that logs the awaited line.
     */
    private void awaitRejectedFor(String address, int port, String from, String logRegex) {
        Wire.await(() -> Wire.rejected(address, port, from) && count(logRegex) > 0, SOON,
                from + " to be rejected on " + address + ":" + port + " with a log line matching /" + logRegex + "/");
    }

    /**
     * An open connection that echo has answered, retried until the policies admit it: a probe's connection is released
     * only once its handler has seen the client close, a moment after the probe returned.
     */
    private static Socket hold(int port, String from) throws Exception {
        long deadline = System.nanoTime() + SOON.toNanos();
        while (true) {
            Socket s = Wire.connect("127.0.0.1", port, from);
            if ("HOLD".equals(HostHarness.exchange(s, "hold"))) {
                return s;
            }
            s.close();
            assertTrue(System.nanoTime() < deadline, "no connection admitted from " + from + " on " + port);
            Thread.sleep(25);
        }
    }

    private long count(String regex) {
        java.util.regex.Pattern p = java.util.regex.Pattern.compile(regex);
        return host.logLines().stream().filter(l -> p.matcher(l).find()).count();
    }

    @Test
    void addressPolicyAllowsListedRangesAndRejectsOthersRightAfterConnect() throws Exception {
        int port = freePort();
        host.deploy(sampleBundle("policy-address"), "policy-address.jar");
        host.writeConfig("io.portside.policy.address-office.cfg", "portside.policy=office\nallow=127.0.0.0/30, ::1\ndeny=127.0.0.3\n");
        guardedListener("guarded", "tcp://127.0.0.1:" + port, "(portside.policy=office)");
        host.awaitLog("Policy office \\(address, from io\\.portside\\.policy\\.address-office\\.cfg\\) active: allow \\[127\\.0\\.0\\.0/30, .*deny \\[127\\.0\\.0\\.3/32\\]", SOON);

        awaitServed("127.0.0.1", port, "127.0.0.1");
        assertTrue(served("127.0.0.1", port, "127.0.0.2"));
        assertTrue(Wire.rejected("127.0.0.1", port, "127.0.0.3"), "denied");
        assertTrue(Wire.rejected("127.0.0.1", port, "127.0.0.5"), "outside every allowed range");
        host.awaitLog("Listener guarded: rejected /127\\.0\\.0\\.3:\\d+: office: 127\\.0\\.0\\.3 is in denied range 127\\.0\\.0\\.3/32", SOON);
        host.awaitLog("Listener guarded: rejected /127\\.0\\.0\\.5:\\d+: office: 127\\.0\\.0\\.5 is in no allowed range", SOON);
        host.awaitListener("guarded", l -> l.rejected() >= 2 && l.policies().equals(List.of("office")), SOON);

        // An edit applies in place: the same listener now rejects what it served.
        host.writeConfig("io.portside.policy.address-office.cfg", "portside.policy=office\nallow=127.0.0.2\n");
        awaitRejected("127.0.0.1", port, "127.0.0.1");
        assertTrue(served("127.0.0.1", port, "127.0.0.2"));
        assertEquals(0, count("Listener guarded unbound"), "the listener kept its socket");
    }

    @Test
    void addressPolicyOnIpv6() throws Exception {
        int port = freePort();
        host.deploy(sampleBundle("policy-address"), "policy-address.jar");
        host.writeConfig("io.portside.policy.address-loopback6.cfg", "portside.policy=loopback6\nallow=::1/128\n");
        host.writeConfig("io.portside.policy.address-v4only.cfg", "portside.policy=v4only\nallow=0.0.0.0/0\n");
        guardedListener("six", "tcp://[::1]:" + port, "(portside.policy=loopback6)");
        guardedListener("six-v4only", "tcp://[::1]:" + freePortOther(port), "(portside.policy=v4only)");
        awaitServed("::1", port, "::1");
        int v4only = portOf("six-v4only");
        awaitRejectedFor("::1", v4only, "::1", "Listener six-v4only: rejected /\\[?0:0:0:0:0:0:0:1\\]?:\\d+: v4only: 0:0:0:0:0:0:0:1 is in no allowed range");
    }

    private int freePortOther(int taken) throws Exception {
        for (int i = 0; i < 20; i++) {
            int p = freePort();
            if (p != taken) {
                return p;
            }
        }
        throw new AssertionError("no second free port");
    }

    /** The port of a listener, once the runtime view shows it bound on TCP. */
    private int portOf(String listener) {
        return host.awaitListener(listener, l -> l.bound() && l.endpoint().startsWith("tcp://"), SOON).port();
    }

    @Test
    void addressPolicyJudgesUnixPeersByUser() throws Exception {
        String me = System.getProperty("user.name");
        host.deploy(sampleBundle("policy-address"), "policy-address.jar");
        host.writeConfig("io.portside.policy.address-me.cfg", "portside.policy=me\nallow.users=" + me + "\n");
        host.writeConfig("io.portside.policy.address-others.cfg", "portside.policy=others\nallow.users=nobody-such-user\nallow=0.0.0.0/0\n");
        guardedListener("mine", "unix:sockets/mine.sock", "(portside.policy=me)");
        guardedListener("theirs", "unix:sockets/theirs.sock", "(portside.policy=others)");
        Path mine = home.resolve("sockets/mine.sock");
        Path theirs = home.resolve("sockets/theirs.sock");
        Wire.await(() -> Files.exists(mine) && "HI".equals(Wire.unixExchange(mine, "hi")), SOON, "my own user to be served on " + mine);
        String reason = "Listener theirs: rejected .*: others: Unix peer " + me + "/\\S+ is not allowed";
        Wire.await(() -> Files.exists(theirs) && Wire.unixRejected(theirs) && count(reason) > 0, SOON,
                "my user to be rejected on " + theirs + " by the policy 'others'");
    }

    @Test
    void connectionLimitRejectsAtTheLimitAndReleasesWhenConnectionsEnd() throws Exception {
        int port = freePort();
        host.deploy(sampleBundle("policy-connection-limit"), "policy-connection-limit.jar");
        host.writeConfig("io.portside.policy.connectionlimit-two.cfg", "portside.policy=two\nmax.per.client=2\n");
        guardedListener("limited", "tcp://127.0.0.1:" + port, "(portside.policy=two)");
        awaitServed("127.0.0.1", port, "127.0.0.3"); // another client, so its connection's release cannot race the test

        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                Socket s = Wire.connect("127.0.0.1", port, "127.0.0.1");
                held.add(s);
                assertEquals("HELD " + i, HostHarness.exchange(s, "held " + i));
            }
            assertTrue(Wire.rejected("127.0.0.1", port, "127.0.0.1"), "a third connection from the same client");
            assertTrue(served("127.0.0.1", port, "127.0.0.2"), "another client is not limited by this one");
            host.awaitLog("Listener limited: rejected /127\\.0\\.0\\.1:\\d+: two: per-client connection limit reached: 127\\.0\\.0\\.1 has 2 open of 2", SOON);

            held.remove(0).close();
            awaitServed("127.0.0.1", port, "127.0.0.1");
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void aTotalLimitIsSharedByEveryListenerThatAttachesThePolicy() throws Exception {
        int a = freePort();
        int b = freePortOther(a);
        host.deploy(sampleBundle("policy-connection-limit"), "policy-connection-limit.jar");
        host.writeConfig("io.portside.policy.connectionlimit-one.cfg", "portside.policy=one\nmax.connections=1\n");
        guardedListener("first", "tcp://127.0.0.1:" + a, "(portside.policy=one)");
        guardedListener("second", "tcp://127.0.0.1:" + b, "(portside.policy=one)");
        awaitServed("127.0.0.1", a, "127.0.0.1");
        awaitServed("127.0.0.1", b, "127.0.0.1");
        try (Socket s = hold(a, "127.0.0.1")) {
            assertTrue(Wire.rejected("127.0.0.1", b, "127.0.0.2"), "the one slot is held by " + s.getLocalSocketAddress());
        }
        awaitServed("127.0.0.1", b, "127.0.0.2");
    }

    @Test
    void rateLimitLetsABurstThroughThenRefillsOverTime() throws Exception {
        int port = freePort();
        host.deploy(sampleBundle("policy-rate-limit"), "policy-rate-limit.jar");
        host.writeConfig("io.portside.policy.ratelimit-slow.cfg", "portside.policy=slow\nrate=2\nburst=3\n");
        host.awaitLog("Policy slow \\(rate-limit, .*\\) active: rate 2\\.0/s, burst 3, max\\.clients 10000", SOON);
        // Bound with the policy already there: no probe may spend the test client's tokens.
        guardedListener("slow", "tcp://127.0.0.1:" + port, "(portside.policy=slow)");
        host.awaitListener("slow", l -> l.bound() && l.endpoint().equals("tcp://127.0.0.1:" + port) && l.policies().equals(List.of("slow")), SOON);
        long started = System.nanoTime();
        int accepted = 0;
        while (served("127.0.0.1", port, "127.0.0.4")) {
            accepted++;
            assertTrue(accepted < 10, "the burst never ends");
        }
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;
        // Three in the bucket, plus at most one more token if the loop ran longer than half a second.
        assertTrue(accepted >= 3 && accepted <= 3 + elapsedMs / 500 + 1, accepted + " accepted in " + elapsedMs + " ms");
        assertTrue(served("127.0.0.1", port, "127.0.0.5"), "another client has its own bucket");
        Wire.await(() -> served("127.0.0.1", port, "127.0.0.4"), Duration.ofSeconds(3), "a token to come back after 0.5 s");
        host.awaitLog("Listener slow: rejected /127\\.0\\.0\\.4:\\d+: slow: rate limit: 127\\.0\\.0\\.4 exceeds 2\\.0 requests/s \\(burst 3\\)", SOON);
        host.awaitListener("slow", l -> l.rejected() >= 1, SOON);
    }

    @Test
    void aBadConfigurationIsOneLogLineAndListenersThatRequireThePolicyFailClosed() throws Exception {
        int port = freePort();
        host.deploy(sampleBundle("policy-address"), "policy-address.jar");
        host.deploy(sampleBundle("policy-connection-limit"), "policy-connection-limit.jar");
        host.deploy(sampleBundle("policy-rate-limit"), "policy-rate-limit.jar");
        host.writeConfig("io.portside.policy.address-office.cfg", "portside.policy=office\nallow=10.0.0.300/8\n");
        host.writeConfig("io.portside.policy.connectionlimit-negative.cfg", "portside.policy=negative\nmax.per.client=-1\n");
        host.writeConfig("io.portside.policy.ratelimit-zero.cfg", "portside.policy=zero\nrate=0\n");
        host.writeConfig("io.portside.policy.address-fine.cfg", "portside.policy=fine\nallow=127.0.0.1\n");
        guardedListener("office", "tcp://127.0.0.1:" + port, "(portside.policy=office)");
        int fine = freePortOther(port);
        guardedListener("fine", "tcp://127.0.0.1:" + fine, "(portside.policy=fine)");

        host.awaitLog("ERROR .*Policy office \\(address, from io\\.portside\\.policy\\.address-office\\.cfg\\) rejects every request until its "
                + "configuration is fixed: 'allow': '10\\.0\\.0\\.300' has an octet above 255", SOON);
        host.awaitLog("ERROR .*Policy negative \\(connection-limit, .*\\) rejects every request .*: 'max\\.per\\.client' must be at least 1: -1", SOON);
        host.awaitLog("ERROR .*Policy zero \\(rate-limit, .*\\) rejects every request .*: 'rate' must be above 0: 0", SOON);
        awaitServed("127.0.0.1", fine, "127.0.0.1"); // the other policy is not affected
        awaitRejectedFor("127.0.0.1", port, "127.0.0.1",
                "Listener office: rejected /127\\.0\\.0\\.1:\\d+: office: bad configuration in io\\.portside\\.policy\\.address-office\\.cfg");
        assertEquals(1, count("Policy office .*rejects every request"), "one line for the bad policy:\n" + String.join("\n", host.logLines()));
        assertEquals(1, count("Policy negative .*rejects every request"));
        assertEquals(1, count("Policy zero .*rejects every request"));

        host.writeConfig("io.portside.policy.address-office.cfg", "portside.policy=office\nallow=127.0.0.0/8\n");
        awaitServed("127.0.0.1", port, "127.0.0.1");
    }

    @Test
    void aListenerWhosePolicyIsMissingRejectsEverything() throws Exception {
        int port = freePort();
        guardedListener("orphan", "tcp://127.0.0.1:" + port, "(portside.policy=no-such-policy)");
        host.awaitBound("orphan", "tcp://127.0.0.1:" + port, SOON);
        assertTrue(Wire.rejected("127.0.0.1", port, null));
        host.awaitLog("Listener orphan: rejected /127\\.0\\.0\\.1:\\d+: no policy available \\(listener requires one; failing closed\\)", SOON);
    }

    @Test
    void removingThePolicyBundleFailsClosedAndReAddingItServesAgainOnTheSameSocket() throws Exception {
        int port = freePort();
        host.writeConfig("io.portside.policy.address-office.cfg", "portside.policy=office\nallow=127.0.0.1\n");
        guardedListener("guarded", "tcp://127.0.0.1:" + port, "(portside.policy=office)");
        host.deploy(sampleBundle("policy-address"), "policy-address.jar");
        awaitServed("127.0.0.1", port, "127.0.0.1");

        host.delete("policy-address.jar");
        host.awaitLog("Undeployed policy-address\\.jar", SOON);
        // Rejected, not refused: the listener still accepts on its socket and, once the policy gap (gap.timeout,
        // 5 s by default) has run out without a replacement, closes at once (fail closed).
        awaitRejected("127.0.0.1", port, "127.0.0.1");
        host.awaitLog("Listener guarded: rejected .*no policy available", SOON);

        host.deploy(sampleBundle("policy-address"), "policy-address.jar");
        awaitServed("127.0.0.1", port, "127.0.0.1");

        host.deploy(sampleBundle("policy-address"), "policy-address.jar"); // swapped for a copy of itself: an update
        host.awaitLog("Updated policy-address\\.jar", SOON);
        awaitServed("127.0.0.1", port, "127.0.0.1");
        assertEquals(0, count("Listener guarded unbound"), "the listener kept its socket throughout");
        assertEquals(1, count("Listener guarded bound"), "bound once");
    }

    /**
     * A connection accepted while its listener's policy is being replaced is judged by the replacement, also on a
     * forking listener, whose connections are served in worker processes: the deferred check runs before the hand-over
     * (it used to be skipped there, so the connection was served unjudged).
     */
    @Test
    void aForkingListenerJudgesAConnectionAcceptedDuringAPolicyUpdateByTheReplacement() throws Exception {
        int port = freePort();
        host.writeConfig("io.portside.policy.address-office.cfg", "portside.policy=office\nallow=127.0.0.1\n");
        host.writeConfig("io.portside.listener-forked.cfg", "endpoint=tcp://127.0.0.1:" + port + "\nhandler=echo\n"
                + "policy.target=(portside.policy=office)\nconcurrency=forking\nforking.min.idle=1\ngap.timeout=20s\n");
        host.deploy(sampleBundle("policy-address"), "policy-address.jar");
        awaitServed("127.0.0.1", port, "127.0.0.1");
        assertTrue(Wire.rejected("127.0.0.1", port, "127.0.0.2"), "outside the policy's range");

        host.delete("policy-address.jar");
        host.awaitLog("Listener forked on .*: policies \\[office\\] gone; new requests wait up to 20,?000 ms", SOON);
        java.util.concurrent.CompletableFuture<String> meanwhile = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try (Socket s = Wire.connect("127.0.0.1", port, "127.0.0.2")) {
                s.setSoTimeout(30_000);
                s.getOutputStream().write("ping\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                return Wire.endsWithoutData(s.getInputStream()) ? "rejected" : "served";
            } catch (java.io.IOException e) {
                return "failed: " + e;
            }
        });
        Thread.sleep(500); // accepted and waiting for the policy's replacement
        assertFalse(meanwhile.isDone(), "waits for the policy instead of being served or refused at once");
        host.deploy(sampleBundle("policy-address"), "policy-address.jar");
        assertEquals("rejected", meanwhile.get(30, java.util.concurrent.TimeUnit.SECONDS));
        host.awaitLog("Listener forked: rejected /127\\.0\\.0\\.2:\\d+: office: ", SOON);
        awaitServed("127.0.0.1", port, "127.0.0.1");
    }

    @Test
    void aListenerFailsClosedUntilEveryPolicyItRequiresByNameIsThere() throws Exception {
        int port = freePort();
        host.deploy(sampleBundle("policy-address"), "policy-address.jar");
        host.writeConfig("io.portside.policy.address-office.cfg", "portside.policy=office\nallow=127.0.0.1\n");
        host.writeConfig("io.portside.listener-strict.cfg",
                "endpoint=tcp://127.0.0.1:" + port + "\nhandler=echo\npolicy.required=office,limit\n");
        // Until 'office' is registered too, the listener rejects for both missing policies: wait for 'limit' alone.
        awaitRejectedFor("127.0.0.1", port, "127.0.0.1", "Listener strict: rejected .*required policies not available: \\[limit\\]");
        host.awaitListener("strict", l -> l.failureMatches("required policies not available: \\[limit\\] \\(failing closed\\)"),
                SOON); // the runtime view says so (reason POLICY_MISSING), and a load balancer's agent reports the host down

        host.deploy(sampleBundle("policy-connection-limit"), "policy-connection-limit.jar");
        host.writeConfig("io.portside.policy.connectionlimit-limit.cfg", "portside.policy=limit\nmax.per.client=5\n");
        awaitServed("127.0.0.1", port, "127.0.0.1");
        host.awaitListener("strict", l -> l.failure() == null, SOON);
    }

    @Test
    void chainedPoliciesReleaseWhatAnEarlierOneHoldsWhenALaterOneRejects() throws Exception {
        int port = freePort();
        host.deploy(sampleBundle("policy-address"), "policy-address.jar");
        host.deploy(sampleBundle("policy-connection-limit"), "policy-connection-limit.jar");
        // The limit ranks first, so it admits (and counts) a connection before the address policy rejects it.
        // A typed .config file: service.ranking must be an Integer to count.
        host.writeConfig("io.portside.policy.connectionlimit-single.config", "portside.policy=\"single\"\nmax.connections=I\"1\"\nservice.ranking=I\"10\"\n");
        host.writeConfig("io.portside.policy.address-only-one.cfg", "portside.policy=only-one\nallow=127.0.0.1\n");
        host.awaitLog("Policy single .* active", SOON);
        host.awaitLog("Policy only-one .* active", SOON);
        guardedListener("chained", "tcp://127.0.0.1:" + port, "(|(portside.policy=single)(portside.policy=only-one))");
        host.awaitListener("chained", l -> l.bound() && l.endpoint().equals("tcp://127.0.0.1:" + port)
                && l.policies().equals(List.of("single", "only-one")), SOON);
        awaitServed("127.0.0.1", port, "127.0.0.1");
        // Rejected by the address policy after the limit admitted them: three times, each released at once.
        Wire.await(() -> Wire.rejected("127.0.0.1", port, "127.0.0.9")
                && count("Listener chained: rejected /127\\.0\\.0\\.9:\\d+: only-one: 127\\.0\\.0\\.9 is in no allowed range") >= 3,
                SOON, "three connections from 127.0.0.9 rejected by the address policy");
        try (Socket s = Wire.connect("127.0.0.1", port, "127.0.0.1")) {
            assertEquals("STILL ONE FREE", HostHarness.exchange(s, "still one free"), "the rejected connections did not keep the limit's slot");
            assertTrue(Wire.rejected("127.0.0.1", port, "127.0.0.1"), "the single slot is taken");
        }
    }

    @Test
    void policyBundlesWithoutAConfigurationRegisterNoPolicy() throws Exception {
        for (String policy : List.of("policy-address", "policy-connection-limit", "policy-rate-limit")) {
            host.deploy(sampleBundle(policy), policy + ".jar");
            host.awaitLog("Deployed " + policy + "\\.jar", SOON);
        }
        int port = freePort();
        guardedListener("any", "tcp://127.0.0.1:" + port, "(portside.policy.type=*)");
        host.awaitBound("any", "tcp://127.0.0.1:" + port, SOON);
        assertTrue(Wire.rejected(port));
        host.awaitLog("Listener any: rejected .*no policy available", SOON);
        assertFalse(host.logLines().stream().anyMatch(l -> l.contains("Policy ")), "no policy instance without a configuration");
    }
}
