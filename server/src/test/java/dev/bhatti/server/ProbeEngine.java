package dev.bhatti.server;

import dev.bhatti.client.AgentClient;
import dev.bhatti.engine.CreateSpec;
import dev.bhatti.engine.Engine;
import dev.bhatti.engine.EngineException;
import dev.bhatti.engine.VmInfo;
import dev.bhatti.engine.VmState;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real engine, watched: counts agent look-ups per sandbox (the manager's only way to ask the
 * agent) and can make the next stops or agent look-ups of a sandbox fail, as a broken VMM would.
 */
public final class ProbeEngine implements Engine {
    private final Engine real;
    private final Map<String, AtomicInteger> agentCalls = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> failingStops = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> failingAgents = new ConcurrentHashMap<>();

    public ProbeEngine(Engine real) {
        this.real = real;
    }

    public int agentCalls(String id) {
        return agentCalls.getOrDefault(id, new AtomicInteger()).get();
    }

    public void failNextStops(String id, int n) {
        failingStops.put(id, new AtomicInteger(n));
    }

    public void failNextAgentCalls(String id, int n) {
        failingAgents.put(id, new AtomicInteger(n));
    }

    private static boolean consume(Map<String, AtomicInteger> failing, String id) {
        AtomicInteger left = failing.get(id);
        return left != null && left.getAndDecrement() > 0;
    }

    @Override
    public AgentClient agent(String id) {
        agentCalls.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
        if (consume(failingAgents, id)) {
            throw new EngineException.VmmFailed("injected: agent of " + id + " unreachable", null);
        }
        return real.agent(id);
    }

    @Override
    public void stop(String id) {
        if (consume(failingStops, id)) {
            throw new EngineException.VmmFailed("injected: snapshot of " + id + " failed", null);
        }
        real.stop(id);
    }

    @Override
    public boolean stopIfWarm(String id) {
        if (consume(failingStops, id)) {
            throw new EngineException.VmmFailed("injected: snapshot of " + id + " failed", null);
        }
        return real.stopIfWarm(id);
    }

    @Override public VmInfo create(CreateSpec spec) { return real.create(spec); }
    @Override public void destroy(String id) { real.destroy(id); }
    @Override public void pause(String id) { real.pause(id); }
    @Override public void resume(String id) { real.resume(id); }
    @Override public dev.bhatti.engine.StartedFrom start(String id, boolean force) { return real.start(id, force); }
    @Override public void ensureHot(String id) { real.ensureHot(id); }
    @Override public VmInfo status(String id) { return real.status(id); }
    @Override public List<VmInfo> list() { return real.list(); }
    @Override public VmState exportState(String id) { return real.exportState(id); }
    @Override public VmInfo importState(VmState state) { return real.importState(state); }
    @Override public boolean snapshotOrphan(VmState state) { return real.snapshotOrphan(state); }

    @Override public Forked fork(String parentId, List<Child> children, String owner) { return real.fork(parentId, children, owner); }
    @Override public Checkpointed checkpoint(String id, String checkpointId) { return real.checkpoint(id, checkpointId); }
    @Override public void restoreCheckpoint(String id, String checkpointId) { real.restoreCheckpoint(id, checkpointId); }
    @Override public VmInfo createFromCheckpoint(String checkpointId, Child child, String owner) {
        return real.createFromCheckpoint(checkpointId, child, owner);
    }
    @Override public void deleteCheckpoint(String checkpointId) { real.deleteCheckpoint(checkpointId); }
    @Override public List<String> checkpoints() { return real.checkpoints(); }

    /** The real engine belongs to the test fixture, which closes it. */
    @Override
    public void close() { }
}
