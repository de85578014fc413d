package dev.bhatti.server;

import dev.bhatti.engine.Engine;
import dev.bhatti.engine.Thermal;
import dev.bhatti.engine.VmInfo;
import dev.bhatti.proto.Json;
import dev.bhatti.server.store.SandboxRow;
import dev.bhatti.server.store.Store;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Snapshots every hot or warm sandbox (10 at a time, one retry each) and records its VM state. The
 * stored status stays as it was: to its user the sandbox is still running, and the next request
 * after a restart wakes it from the snapshot (SPEC §7: running + snapshot → restored cold).
 */
final class Shutdown {
    private static final Logger log = LoggerFactory.getLogger(Shutdown.class);
    static final int PARALLEL = 10;

    private Shutdown() {}

    static void snapshotAll(Engine engine, Store store) {
        List<VmInfo> running = engine.list().stream().filter(v -> v.thermal() != Thermal.COLD).toList();
        Semaphore slots = new Semaphore(PARALLEL);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (VmInfo vm : running) {
                pool.submit(() -> {
                    slots.acquireUninterruptibly();
                    try {
                        snapshot(engine, store, vm.id());
                    } finally {
                        slots.release();
                    }
                });
            }
        }
        log.info("event=shutdown_snapshots_done count={}", running.size());
    }

    private static void snapshot(Engine engine, Store store, String id) {
        for (int attempt = 1; attempt <= 2; attempt++) {
            try {
                engine.stop(id);
                String state = new String(Json.encode(engine.exportState(id).toMap()), StandardCharsets.UTF_8);
                store.sandboxById(id).ifPresent(row -> record(store, row, state));
                log.info("event=shutdown_snapshot sandbox={} attempt={}", id, attempt);
                return;
            } catch (RuntimeException e) {
                log.error("event=shutdown_snapshot_failed sandbox={} attempt={} error=\"{}\"", id, attempt, e.getMessage());
            }
        }
    }

    private static void record(Store store, SandboxRow row, String state) {
        store.updateSandbox(row.withVmState(state));
    }
}
