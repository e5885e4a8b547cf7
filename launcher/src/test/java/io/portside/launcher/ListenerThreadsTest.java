package io.portside.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.junit.jupiter.api.Test;

import io.portside.server.concurrency.BoundedPool;
import io.portside.server.concurrency.ConcurrencyModel;
import io.portside.server.concurrency.DispatchedRequest;
import io.portside.server.concurrency.ThreadPerRequest;
import io.portside.server.concurrency.VirtualThreadPerRequest;

/** Which listener a line concerns: the host's own parameter, else the name the host gave the logging thread. */
class ListenerThreadsTest {

    @Test
    void requestThreadsOfTheHostsModelsNameTheirListener() throws Exception {
        // The contract with server-core: read the names its models really give, including a listener with dashes.
        assertEquals("file-transfer-tcp", listenerSeenBy(new VirtualThreadPerRequest(false, "file-transfer-tcp")));
        assertEquals("tr-threading", listenerSeenBy(new ThreadPerRequest(true, false, "tr-threading")));
        assertEquals("tr-pool", listenerSeenBy(new BoundedPool(1, 0, false, "tr-pool")));
    }

    @Test
    void plainServersThreadsNameNoListener() throws Exception {
        assertNull(listenerSeenBy(new VirtualThreadPerRequest(false)));
        assertNull(listenerSeenBy(new ThreadPerRequest(true, false)));
        assertNull(listenerSeenBy(new BoundedPool(1, 0, false)));
    }

    private static String listenerSeenBy(ConcurrencyModel model) throws Exception {
        CompletableFuture<String> seen = new CompletableFuture<>();
        model.dispatch(new DispatchedRequest() {
            @Override
            public void serve() {
                seen.complete(ListenerThreads.listenerOf(Thread.currentThread().getName()));
            }

            @Override
            public Object request() {
                return null;
            }

            @Override
            public java.net.SocketAddress clientAddress() {
                return null;
            }

            @Override
            public io.portside.handler.api.SocketServer server() {
                return null;
            }

            @Override
            public java.nio.channels.SelectableChannel serverChannel() {
                return null;
            }

            @Override
            public void handedOver() {
            }

            @Override
            public void finished(Throwable failure) {
            }

            @Override
            public void refused(java.util.concurrent.RejectedExecutionException reason) {
            }
        });
        try {
            return seen.get(10, TimeUnit.SECONDS);
        } finally {
            model.close();
        }
    }

    @Test
    void theServingThreadNamesItsListener() {
        assertEquals("tr-sync", ListenerThreads.listenerOf("portside-listener-tr-sync"));
    }

    @Test
    void otherThreadsNameNone() {
        for (String name : new String[] {"main", "portside-log-summaries", "portside-listener-", "portside-threading-",
                "portside--virtual-3", "portside-pool-1-2", "FelixStartLevel", ""}) {
            assertNull(ListenerThreads.listenerOf(name), name);
        }
        assertNull(ListenerThreads.listenerOf(null));
    }

    @Test
    void aHostLineNamesItsListenerInItsFirstParameterOnAnyThread() {
        LogRecord r = new LogRecord(Level.INFO, "Listener {0}: rejected {1}: {2}");
        r.setLoggerName("io.portside.host");
        r.setParameters(new Object[] {"guarded", "/127.0.0.1:4000", "noloop: 127.0.0.1 is in no allowed range"});
        assertEquals(new LogKind("guarded", "io.portside.host", Level.INFO, "Listener {0}: rejected {1}: {2}"),
                LogKind.of(r, "portside-listener-other"));
    }

    @Test
    void aHandlerLineNamesTheListenerItsThreadServes() {
        LogRecord r = new LogRecord(Level.INFO, "file-transfer: refused {0} from {1} (root {2}): {3}");
        r.setLoggerName("io.portside.sample.filetransfer");
        r.setParameters(new Object[] {"a command", "/127.0.0.1:4000", "/srv", "BAD_COMMAND empty line"});
        assertEquals("file-transfer-tcp", LogKind.of(r, "portside-file-transfer-tcp-virtual-812").listener());
        assertNull(LogKind.of(r, "main").listener());
    }
}
