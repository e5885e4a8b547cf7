package io.portside.server;

import java.util.function.Supplier;

import io.portside.server.concurrency.ConcurrencyModel;

/** The concurrency models every server type is tested with. */
enum Model {
    SYNC(ConcurrencyModel::synchronous),
    THREADING(ConcurrencyModel::threading),
    POOL(() -> ConcurrencyModel.pool(4, 8)),
    VIRTUAL(ConcurrencyModel::virtualThreads);

    private final Supplier<ConcurrencyModel> factory;

    Model(Supplier<ConcurrencyModel> factory) {
        this.factory = factory;
    }

    ConcurrencyModel create() {
        return factory.get();
    }
}
