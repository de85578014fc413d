package dev.bhatti.server.events;

import dev.bhatti.client.AgentClient;
import dev.bhatti.engine.CreateSpec;
import dev.bhatti.engine.Engine;
import dev.bhatti.engine.EngineException;
import dev.bhatti.engine.StartedFrom;
import dev.bhatti.engine.Thermal;
import dev.bhatti.engine.VmInfo;
import dev.bhatti.engine.VmState;
import dev.bhatti.engine.net.EgressAudit;
import dev.bhatti.engine.net.EgressPolicy;
import dev.bhatti.server.store.SandboxRow;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The engine as the daemon uses it, publishing each lifecycle change to the {@link EventLog} with
 * how long it took: every path that changes a VM (API, thermal manager, public previews, recovery,
 * shutdown) goes through here, so none can change a sandbox unseen. A dead VMM is reported once
 * as {@code failed}, when the daemon first finds it, until a start brings the sandbox back.
 */
public final class ObservedEngine implements Engine {
    private final Engine engine;
    private final EventLog events;
    private final Function<String, Optional<SandboxRow>> rows;
    private final Set<String> failed = ConcurrentHashMap.newKeySet();

    public ObservedEngine(Engine engine, EventLog events, Function<String, Optional<SandboxRow>> rows) {
        this.engine = engine;
        this.events = events;
        this.rows = rows;
    }

    /** The engine under this one. */
    public Engine delegate() {
        return engine;
    }

    private <T> T timed(String id, EventType type, Thermal from, Thermal to, Supplier<T> action,
                        Function<T, String> detail) {
        long t0 = System.nanoTime();
        T result;
        try {
            result = action.get();
        } catch (EngineException.VmmDied e) {
            died(id, e);
            throw e;
        }
        events.publish(type, id, from, to, (System.nanoTime() - t0) / 1_000_000, detail.apply(result));
        return result;
    }

    private void died(String id, EngineException.VmmDied e) {
        if (failed.add(id)) {
            String reason = e.reason();
            int nl = reason.indexOf('\n');
            events.publish(EventType.FAILED, id, null, null, null, nl < 0 ? reason : reason.substring(0, nl));
        }
    }

    private Thermal thermal(String id) {
        try {
            return engine.status(id).thermal();
        } catch (EngineException e) {
            return null;
        }
    }

    @Override
    public VmInfo create(CreateSpec spec) {
        return create(spec, null);
    }

    @Override
    public VmInfo create(CreateSpec spec, String owner) {
        long t0 = System.nanoTime();
        VmInfo vm;
        try {
            vm = owner == null ? engine.create(spec) : engine.create(spec, owner);
        } catch (RuntimeException e) {
            events.publish(EventType.FAILED, spec.id(), null, null, (System.nanoTime() - t0) / 1_000_000,
                    "create failed: " + e.getMessage());
            throw e;
        }
        events.publish(EventType.CREATED, vm.id(), null, Thermal.HOT, (System.nanoTime() - t0) / 1_000_000,
                "from " + vm.createdFrom().name().toLowerCase(Locale.ROOT).replace('_', ' '));
        return vm;
    }

    @Override
    public void destroy(String id) {
        Optional<SandboxRow> row = rows.apply(id);
        long t0 = System.nanoTime();
        engine.destroy(id);
        failed.remove(id);
        events.publish(EventType.DESTROYED, id, row.map(SandboxRow::name).orElse(null),
                row.map(SandboxRow::userId).orElse(null), null, null, (System.nanoTime() - t0) / 1_000_000, null);
    }

    @Override
    public void pause(String id) {
        timed(id, EventType.PAUSED, Thermal.HOT, Thermal.WARM, () -> {
            engine.pause(id);
            return null;
        }, r -> null);
    }

    @Override
    public void resume(String id) {
        timed(id, EventType.WOKE, Thermal.WARM, Thermal.HOT, () -> {
            engine.resume(id);
            return null;
        }, r -> null);
    }

    @Override
    public void stop(String id) {
        Thermal from = thermal(id);
        if (from == Thermal.COLD) {
            engine.stop(id);
            return;
        }
        timed(id, EventType.STOPPED, from, Thermal.COLD, () -> {
            engine.stop(id);
            return null;
        }, r -> null);
    }

    @Override
    public boolean stopIfWarm(String id) {
        long t0 = System.nanoTime();
        boolean stopped = engine.stopIfWarm(id);
        if (stopped) {
            events.publish(EventType.STOPPED, id, Thermal.WARM, Thermal.COLD, (System.nanoTime() - t0) / 1_000_000, null);
        }
        return stopped;
    }

    @Override
    public StartedFrom start(String id, boolean force) {
        Thermal from = thermal(id);
        StartedFrom started = timed(id, EventType.STARTED, from, Thermal.HOT, () -> engine.start(id, force),
                s -> "from " + s.name().toLowerCase(Locale.ROOT).replace('_', ' '));
        failed.remove(id);
        return started;
    }

    @Override
    public void ensureHot(String id) {
        Thermal from = thermal(id);
        if (from == Thermal.HOT || from == null) {
            try {
                engine.ensureHot(id);
            } catch (EngineException.VmmDied e) {
                died(id, e);
                throw e;
            }
            return;
        }
        timed(id, EventType.WOKE, from, Thermal.HOT, () -> {
            engine.ensureHot(id);
            return null;
        }, r -> null);
    }

    @Override
    public AgentClient agent(String id) {
        try {
            return engine.agent(id);
        } catch (EngineException.VmmDied e) {
            died(id, e);
            throw e;
        }
    }

    @Override
    public Forked fork(String parentId, List<Child> children, String owner) {
        long t0 = System.nanoTime();
        Forked forked = engine.fork(parentId, children, owner);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        Optional<SandboxRow> parent = rows.apply(parentId);
        String parentName = parent.map(SandboxRow::name).orElse(parentId);
        events.publish(EventType.FORKED, parentId, null, null, ms, "into " + String.join(", ",
                children.stream().map(Child::name).toList()) + "; paused " + forked.pausedMs() + " ms");
        for (Child c : children) {
            events.publish(EventType.CREATED, c.id(), null, Thermal.HOT, ms, "fork of " + parentName);
        }
        return forked;
    }

    @Override
    public Checkpointed checkpoint(String id, String checkpointId) {
        return timed(id, EventType.CHECKPOINTED, null, null, () -> engine.checkpoint(id, checkpointId),
                c -> "checkpoint " + checkpointId + "; paused " + c.pausedMs() + " ms");
    }

    @Override
    public void restoreCheckpoint(String id, String checkpointId) {
        timed(id, EventType.RESTORED, null, Thermal.HOT, () -> {
            engine.restoreCheckpoint(id, checkpointId);
            return null;
        }, r -> "checkpoint " + checkpointId);
    }

    @Override
    public VmInfo createFromCheckpoint(String checkpointId, Child child, String owner) {
        return timed(child.id(), EventType.CREATED, null, Thermal.HOT,
                () -> engine.createFromCheckpoint(checkpointId, child, owner), v -> "from checkpoint " + checkpointId);
    }

    @Override
    public void deleteCheckpoint(String checkpointId) {
        engine.deleteCheckpoint(checkpointId);
    }

    @Override
    public List<String> checkpoints() {
        return engine.checkpoints();
    }

    @Override
    public void egress(String id, EgressPolicy policy) {
        engine.egress(id, policy);
    }

    @Override
    public void egressEvents(Consumer<EgressAudit.Event> sink) {
        engine.egressEvents(sink);
    }

    @Override
    public List<String> removeOrphanNetworkDevices() {
        return engine.removeOrphanNetworkDevices();
    }

    @Override
    public VmInfo status(String id) {
        return engine.status(id);
    }

    @Override
    public dev.bhatti.engine.HostUsage hostUsage(String id) {
        return engine.hostUsage(id);
    }

    @Override
    public List<VmInfo> list() {
        return engine.list();
    }

    @Override
    public VmState exportState(String id) {
        return engine.exportState(id);
    }

    @Override
    public boolean snapshotOrphan(VmState state) {
        return engine.snapshotOrphan(state);
    }

    @Override
    public VmInfo importState(VmState state) {
        return engine.importState(state);
    }

    @Override
    public void close() {
        engine.close();
    }
}
