package dev.bhatti.engine;

import dev.bhatti.client.AgentClient;
import java.util.List;

/**
 * The VM engine contract the daemon relies on (SPEC §3). Every method names the sandbox by id and
 * throws {@link EngineException} subclasses with stable codes. Operations on one sandbox are
 * serialized; different sandboxes proceed in parallel.
 */
public interface Engine extends Copies, AutoCloseable {

    /** Boots a VM and returns once its agent answers. A failure at any step leaves nothing behind. */
    VmInfo create(CreateSpec spec);

    /**
     * {@link #create(CreateSpec)} for a sandbox of {@code owner}: where VMs share a network per
     * user (bridge mode), the VM joins its owner's.
     */
    default VmInfo create(CreateSpec spec, String owner) {
        return create(spec);
    }

    /**
     * Removes host network devices left by sandboxes this engine does not know (bridge mode's
     * TAPs); the daemon calls it at start-up after recovery. Answers what it removed.
     */
    /**
     * Sets sandbox {@code id}'s egress policy (decision 0024), live when it runs; may be called
     * before its create, which then starts the guest under it. Only the netns network mode
     * enforces policies: the others refuse any but {@link dev.bhatti.engine.net.EgressPolicy#OPEN}.
     */
    default void egress(String id, dev.bhatti.engine.net.EgressPolicy policy) {
        if (!policy.equals(dev.bhatti.engine.net.EgressPolicy.OPEN)) {
            throw new EngineException.InvalidSpec("egress policies need the netns network mode");
        }
    }

    /**
     * Where the egress audit's events go (decision 0024): each new connection a sandbox's guest
     * tried and each name it asked for, with the verdict. Only the netns network mode has any.
     */
    default void egressEvents(java.util.function.Consumer<dev.bhatti.engine.net.EgressAudit.Event> sink) {}

    default List<String> removeOrphanNetworkDevices() {
        return List.of();
    }

    /** Stops the VMM and removes every file, socket and port of the sandbox. Idempotent. */
    void destroy(String id);

    /** hot → warm: pauses the vCPUs. */
    void pause(String id);

    /** warm → hot. */
    void resume(String id);

    /** → cold: snapshots device state to disk and ends the VMM process; memory stays in its file. */
    void stop(String id);

    /**
     * → cold only if the VM is still warm when its lifecycle lock is taken: the thermal manager's
     * stop, which must not snapshot a sandbox a request woke in the meantime. Answers whether it did.
     */
    boolean stopIfWarm(String id);

    /**
     * cold → hot; {@code force} retries a sandbox marked as having an unusable snapshot. A sandbox
     * whose VMM died comes back without force: from its last snapshot if it has one, else booted on
     * its disk (decision 0015). Answers which of these happened.
     */
    StartedFrom start(String id, boolean force);

    /**
     * Whatever the state, makes the VM hot (the daemon calls this before every VM-touching request).
     *
     * @throws EngineException.VmmDied when its VMM died: only {@link #start} brings it back
     */
    void ensureHot(String id);

    VmInfo status(String id);

    /** What sandbox {@code id} holds of the host now; {@link HostUsage#UNKNOWN} where the engine cannot tell. */
    default HostUsage hostUsage(String id) {
        return HostUsage.UNKNOWN;
    }

    List<VmInfo> list();

    /**
     * The agent client of a hot VM (exec, sessions, terminals, files, forward, activity).
     *
     * @throws EngineException.NotHot when the VM is warm or cold
     */
    AgentClient agent(String id);

    /** What the daemon stores to find the VM again after a restart. */
    VmState exportState(String id);

    /**
     * If a VMM left by an earlier daemon still runs this sandbox, snapshots it to disk and ends it
     * (call before {@link #importState}); answers whether there was one.
     */
    boolean snapshotOrphan(VmState state);

    /** Registers a VM from stored state as cold (or broken when its snapshot files are incomplete). */
    VmInfo importState(VmState state);

    /** Snapshots nothing; ends every VMM this engine started. */
    @Override
    void close();
}
