package dev.bhatti.server;

import dev.bhatti.engine.Engine;
import dev.bhatti.engine.Thermal;
import dev.bhatti.engine.VmInfo;
import dev.bhatti.server.sandbox.VmStateJson;
import dev.bhatti.server.shutdown.SnapshotAll;
import dev.bhatti.server.store.Store;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Graceful shutdown's snapshots: every hot or warm sandbox goes cold ({@link SnapshotAll}: 10 at a
 * time, one retry) and its VM state is recorded. The stored status stays as it was: to its user the
 * sandbox is still running, and after a restart the next request wakes it from the snapshot.
 */
final class Shutdown {
    private static final Logger log = LoggerFactory.getLogger(Shutdown.class);

    private Shutdown() {}

    static void snapshotAll(Engine engine, Store store) {
        List<String> running = engine.list().stream().filter(v -> v.thermal() != Thermal.COLD).map(VmInfo::id).toList();
        SnapshotAll.Report report = SnapshotAll.run(engine, running);
        for (SnapshotAll.Result r : report.results()) {
            if (r.ok()) {
                String state = VmStateJson.of(engine, r.id());
                store.sandboxById(r.id()).ifPresent(row -> store.updateSandbox(row.withVmState(state)));
            } else {
                log.error("event=shutdown_snapshot_failed sandbox={} reason=\"{}\"", r.id(), r.failure().orElse("?"));
            }
        }
        log.info("event=shutdown_snapshots_done count={} failed={}", running.size(), report.failed().size());
    }
}
