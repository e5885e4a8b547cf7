package io.portside.server.host.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.BindException;
import java.net.SocketException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The host's fail-safe rules that need no sockets: configuration keys, bind failures and back-off, handler failures. */
class FailSafeRulesTest {

    @Test
    void anUnknownKeyIsRefusedAndFrameworkKeysAreNot() {
        ListenerKeys.requireKnown(Map.of("endpoint", "tcp://127.0.0.1:1", "service.pid", "x", "felix.fileinstall.filename", "f"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ListenerKeys.requireKnown(Map.of("endpoint", "x", "polcy.required", "office")));
        assertTrue(e.getMessage().startsWith("unknown key 'polcy.required' (known: "), e.getMessage());
    }

    @Test
    void aTrailingCommentIsPointedOut() {
        String hint = ListenerKeys.trailingCommentHint(Map.of("concurrency", "pool   # sync | threading"));
        assertEquals("; note: 'concurrency' is 'pool   # sync | threading': a .cfg file has no comments after a value,"
                + " put the comment on a line of its own", hint);
        assertEquals("", ListenerKeys.trailingCommentHint(Map.of("policy.required", "a#b")));
    }

    @Test
    void anInvalidEndpointValueStillClaimsItsFirstWord() {
        Path home = Path.of("/tmp");
        assertEquals("tcp://127.0.0.1:7000", ListenerKeys.claimedEndpoint(Map.of("endpoint", "tcp://127.0.0.1:7000   # office"), home).text());
        assertNull(ListenerKeys.claimedEndpoint(Map.of("endpoint", "nonsense"), home));
        assertNull(ListenerKeys.claimedEndpoint(Map.of(), home));
    }

    @Test
    void bindFailuresAreNamedByTheirCause() {
        assertEquals(BindFailure.ADDRESS_IN_USE, BindFailure.of(new BindException("Address already in use")));
        assertEquals(BindFailure.ADDRESS_NOT_HERE, BindFailure.of(new BindException("Cannot assign requested address")));
        assertEquals(BindFailure.PERMISSION_DENIED, BindFailure.of(new SocketException("Permission denied")));
        assertEquals(BindFailure.PATH_TAKEN, BindFailure.of(new BindException("/x is a regular file, not a socket; it is left untouched")));
        assertTrue(BindFailure.describe(new BindException("Cannot assign requested address")).startsWith("the address is not on this machine"));
        assertTrue(BindFailure.ADDRESS_IN_USE.retryable() && BindFailure.ADDRESS_NOT_HERE.retryable());
        assertTrue(!BindFailure.PATH_TAKEN.retryable() && !BindFailure.PERMISSION_DENIED.retryable());
    }

    @Test
    void retriesBackOffAndNeverPileUp() {
        BindRetries retries = new BindRetries();
        assertEquals(Duration.ofSeconds(1), retries.failed("e", 0));
        assertNull(retries.failed("e", 10), "a retry is already scheduled");
        retries.due("e");
        assertEquals(Duration.ofSeconds(2), retries.failed("e", 1_000_000_000L));
        for (int i = 0; i < 10; i++) {
            retries.due("e");
            retries.failed("e", 0);
        }
        retries.due("e");
        assertEquals(BindRetries.MAX, retries.failed("e", 0));
        assertEquals(Duration.ofSeconds(5), retries.succeeded("e", 5_000_000_000L));
        assertNull(retries.succeeded("e", 0), "forgotten once bound");
    }

    @Test
    void onlyTheHandlersOwnFaultsAreFailures() {
        assertEquals(HandlerFailure.CLIENT_GONE, HandlerFailure.classify(new SocketException("Connection reset"), false));
        assertEquals(HandlerFailure.CLIENT_GONE, HandlerFailure.classify(new IOException("Broken pipe"), false));
        assertEquals(HandlerFailure.CLOSED_BY_HOST, HandlerFailure.classify(new IOException("Socket closed"), true));
        assertEquals(HandlerFailure.HANDLER, HandlerFailure.classify(new StackOverflowError(), false));
        assertEquals(HandlerFailure.HANDLER, HandlerFailure.classify(new IllegalStateException("boom"), true));
        assertEquals(HandlerFailure.HANDLER, HandlerFailure.classify(new IOException("disk full"), false));
    }
}
