package dev.bhatti.server;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.bhatti.api.SandboxStatus;
import dev.bhatti.engine.Engine;
import dev.bhatti.engine.VmState;
import dev.bhatti.proto.Json;
import dev.bhatti.server.recovery.EngineStateProvider;
import dev.bhatti.server.recovery.Orphans;
import dev.bhatti.server.recovery.Recovery;
import dev.bhatti.server.recovery.RecoveryReport;
import dev.bhatti.server.recovery.RecoverySink;
import dev.bhatti.server.recovery.StoredSandbox;
import dev.bhatti.server.store.SandboxRow;
import dev.bhatti.server.store.Store;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up reconciliation (SPEC §7, decision 0014): VMMs left running by a daemon that died are
 * snapshotted first, then whatever VMM still runs in the sandboxes directory (a failed rescue, an
 * interrupted create) is ended, then every stored sandbox is reconciled with the engine, then
 * orphaned processes and directories of sandboxes the store does not know are removed.
 */
final class Startup {
    private static final Logger log = LoggerFactory.getLogger(Startup.class);

    private Startup() {}

    static RecoveryReport recover(Store store, Engine engine, Path dataDir) {
        long t0 = System.nanoTime();
        Path sandboxes = dataDir.resolve("sandboxes");
        List<SandboxRow> live = store.allSandboxes().stream().filter(SandboxRow::live).toList();
        live.forEach(row -> rescue(engine, row));
        List<Orphans.KilledProcess> leftovers = Orphans.endLeftoverProcesses(sandboxes);
        leftovers.forEach(k -> log.warn("event=leftover_vmm_ended sandbox={} pid={}", k.sandboxId(), k.pid()));
        RecoveryReport report = Recovery.run(store.allSandboxes().stream()
                .map(r -> new StoredSandbox(r.id(), r.status(), r.vmState())).toList(),
                new EngineStateProvider(engine), sink(store, sandboxes));
        Set<String> known = live.stream().map(SandboxRow::id).collect(Collectors.toSet());
        Orphans.Cleanup cleanup = Orphans.clean(sandboxes, known);
        List<String> devices = engine.removeOrphanNetworkDevices();
        endSnapshotBuilds(dataDir.resolve("snapshots"));
        reconcileCheckpoints(store, engine);
        log.info("event=recovery_done restored={} unknown={} failed={} skipped={} leftovers_ended={} orphans_killed={} "
                        + "dirs_removed={} network_devices_removed={} ms={}", report.restored(), report.unknown(),
                report.failed(), report.skipped(), leftovers.size(), cleanup.killed().size(), cleanup.removedDirs().size(),
                devices.size(), (System.nanoTime() - t0) / 1_000_000);
        return report;
    }

    /**
     * Image snapshot builds and spare clones a killed daemon left half done: their VMMs are ended
     * (by pid) and their {@code .partial} directories removed; complete snapshots stay.
     */
    private static void endSnapshotBuilds(Path snapshots) {
        Orphans.endLeftoverProcesses(snapshots)
                .forEach(k -> log.warn("event=leftover_snapshot_build_ended dir={} pid={}", k.sandboxId(), k.pid()));
        if (!java.nio.file.Files.isDirectory(snapshots)) {
            return;
        }
        try (var dirs = java.nio.file.Files.list(snapshots)) {
            for (Path p : dirs.filter(d -> d.getFileName().toString().endsWith(".partial")).toList()) {
                Orphans.removeSandboxDir(snapshots, p.getFileName().toString())
                        .ifPresentOrElse(f -> log.error("event=partial_snapshot_remove_failed dir={} reason=\"{}\"", p, f),
                                () -> log.info("event=partial_snapshot_removed dir={}", p));
            }
        } catch (java.io.IOException e) {
            log.error("event=partial_snapshot_scan_failed dir={} error=\"{}\"", snapshots, e.getMessage());
        }
    }

    /**
     * Checkpoint files and rows agree after a crash: files without a row (a checkpoint cut before
     * it was recorded, or of a sandbox destroyed meanwhile) are removed, rows without complete
     * files are dropped and logged (the engine removes half-written checkpoints itself).
     */
    private static void reconcileCheckpoints(Store store, Engine engine) {
        Set<String> files = Set.copyOf(engine.checkpoints());
        Set<String> rows = store.allCheckpoints().stream().map(c -> c.id()).collect(Collectors.toSet());
        for (String id : files) {
            if (!rows.contains(id)) {
                engine.deleteCheckpoint(id);
                log.warn("event=orphan_checkpoint_removed checkpoint={}", id);
            }
        }
        for (String id : rows) {
            if (!files.contains(id)) {
                store.deleteCheckpoint(id);
                log.error("event=checkpoint_lost checkpoint={} reason=\"its files are missing\"", id);
            }
        }
    }

    private static void rescue(Engine engine, SandboxRow row) {
        if (row.vmState() == null) {
            return;
        }
        try {
            Map<String, Object> m = Json.mapper().readValue(row.vmState(), new TypeReference<>() {});
            if (engine.snapshotOrphan(VmState.fromMap(m))) {
                log.info("event=orphan_vm_rescued sandbox={}", row.id());
            }
        } catch (Exception e) {
            log.error("event=orphan_rescue_failed sandbox={} error=\"{}\"", row.id(), e.getMessage());
        }
    }

    private static RecoverySink sink(Store store, Path sandboxes) {
        return new RecoverySink() {
            @Override
            public void restoredCold(String id) {
                log.info("event=sandbox_recovered sandbox={} thermal=cold", id);
            }

            @Override
            public void markedUnknown(String id, String reason) {
                log.warn("event=sandbox_unrecoverable sandbox={} reason=\"{}\"", id, reason);
                store.sandboxById(id).filter(SandboxRow::live).ifPresent(r -> store.updateSandbox(r.withStatus(SandboxStatus.UNKNOWN)));
            }

            @Override
            public void createInterrupted(String id, String reason) {
                store.detachAll(id);
                Orphans.removeSandboxDir(sandboxes, id).ifPresent(failure ->
                        log.error("event=interrupted_create_cleanup_failed sandbox={} reason=\"{}\"", id, failure));
                store.sandboxById(id).filter(SandboxRow::live).ifPresent(r -> store.updateSandbox(r.withStatus(SandboxStatus.FAILED)));
                log.warn("event=sandbox_failed sandbox={} reason=\"{}\"", id, reason);
            }
        };
    }
}
