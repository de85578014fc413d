package dev.bhatti.server.recovery;

import dev.bhatti.engine.VmState;

/** What recovery needs from the VM engine; the daemon uses {@link EngineStateProvider}, tests a fake. */
public interface VmStateProvider {

    /** Whether the sandbox's snapshot files (device state, memory, root disk) are all there and non-empty. */
    boolean snapshotComplete(VmState state);

    /** Registers the sandbox with the engine as cold (broken when its snapshot is incomplete). */
    void register(VmState state);
}
