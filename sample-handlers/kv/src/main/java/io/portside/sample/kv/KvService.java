package io.portside.sample.kv;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.service.component.annotations.Component;

import io.portside.handler.api.HandlerEndpoint;
import io.portside.handler.api.StreamHandlerFactory;
import io.portside.handler.api.StreamRequestHandler;
import io.portside.handler.api.SwapState;

/**
 * The kv handler on TCP 127.0.0.1:9996, one virtual thread a connection. Its keys live in this service object and
 * survive a hot swap of the jar: the outgoing revision hands its live map over ({@link SwapState}) and the incoming
 * one adopts that very map, so the writes of connections still draining on the old revision land in it too.
 * Move it with {@code deploy/io.portside.sample.kv.cfg}, e.g. {@code portside.endpoint=tcp://127.0.0.1:7996}.
 */
@Component(name = "io.portside.sample.kv", service = StreamHandlerFactory.class)
@HandlerEndpoint(handler = "kv", endpoint = "tcp://127.0.0.1:9996", concurrency = "virtual")
public final class KvService implements StreamHandlerFactory, SwapState<ConcurrentHashMap<String, String>> {

    private final KvStore store = new KvStore();

    @Override
    public StreamRequestHandler newHandler() {
        return new KvStreamHandler(store);
    }

    @Override
    public ConcurrentHashMap<String, String> handOverState() {
        return store.map(); // the live map, not a copy: this revision's draining connections keep writing to it
    }

    @Override
    public void takeOverState(Object predecessorState) {
        if (predecessorState instanceof ConcurrentHashMap<?, ?> live && holdsStrings(live)) {
            @SuppressWarnings("unchecked")
            ConcurrentHashMap<String, String> map = (ConcurrentHashMap<String, String>) live;
            store.adopt(map);
        } else if (predecessorState instanceof Map<?, ?> older && holdsStrings(older)) {
            // An older format (any map of strings): convert it. A copy: later writes of the old revision are not seen.
            ConcurrentHashMap<String, String> copy = new ConcurrentHashMap<>();
            older.forEach((k, v) -> copy.put((String) k, (String) v));
            store.adopt(copy);
        } else {
            throw new IllegalArgumentException("not a map of strings: " + predecessorState.getClass().getName());
        }
    }

    /** Checks one entry: enough to tell another format, without walking a large map on the swap's path. */
    private static boolean holdsStrings(Map<?, ?> map) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
            return e.getKey() instanceof String && e.getValue() instanceof String;
        }
        return true;
    }
}
