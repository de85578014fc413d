package dev.bhatti.server;

import dev.bhatti.api.SandboxStatus;
import dev.bhatti.engine.Engine;
import dev.bhatti.server.sandbox.VmStateJson;
import dev.bhatti.server.store.SandboxRow;
import dev.bhatti.server.store.Store;
import dev.bhatti.server.thermal.ThermalTargets;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thermal manager's view of the store: live sandboxes the engine runs whose create has finished
 * (their VM state is recorded), and where its results are recorded.
 */
final class StoreThermalTargets implements ThermalTargets {
    private static final Logger log = LoggerFactory.getLogger(StoreThermalTargets.class);

    private final Store store;
    private final Engine engine;

    StoreThermalTargets(Store store, Engine engine) {
        this.store = store;
        this.engine = engine;
    }

    @Override
    public List<Target> targets() {
        Set<String> known = engine.list().stream().map(v -> v.id()).collect(Collectors.toSet());
        return store.allSandboxes().stream().filter(SandboxRow::live).filter(r -> r.vmState() != null && known.contains(r.id()))
                .filter(r -> r.state() != SandboxStatus.UNKNOWN).map(r -> new Target(r.id(), r.keepHot())).toList();
    }

    @Override
    public void markUnknown(String id, String reason) {
        log.error("event=sandbox_unknown sandbox={} reason=\"{}\"", id, reason);
        store.sandboxById(id).filter(SandboxRow::live).ifPresent(r -> store.updateSandbox(r.withStatus(SandboxStatus.UNKNOWN)));
    }

    @Override
    public void markRunning(String id) {
        store.sandboxById(id).filter(SandboxRow::live).ifPresent(r -> store.updateSandbox(r.withStatus(SandboxStatus.RUNNING)));
    }

    /** Cold by the thermal manager: still "running" to its user; the new VM state is what recovery needs. */
    @Override
    public void recordCold(String id, Instant at) {
        String state = VmStateJson.of(engine, id);
        store.sandboxById(id).filter(SandboxRow::live).ifPresent(r -> store.updateSandbox(r.withVmState(state)));
    }
}
