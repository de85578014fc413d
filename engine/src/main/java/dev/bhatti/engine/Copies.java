package dev.bhatti.engine;

import java.util.List;

/**
 * Copies of running sandboxes (decision 0022): forks into new sandboxes, checkpoints a sandbox
 * can be rolled back to or new sandboxes made from. An engine that cannot copy VMs throws
 * {@link EngineException.CopyUnsupported}.
 */
public interface Copies {

    /**
     * A new sandbox made from a copy: its id and name (its hostname). Its env is the one the
     * copied sandbox was created with (secrets included), as its processes already have it.
     */
    record Child(String id, String name) {}

    /**
     * What a fork made, and how long the parent's guest stood still for it.
     *
     * @param children the new sandboxes, in the order asked for
     * @param pausedMs how long the parent's vCPUs were stopped
     */
    record Forked(List<VmInfo> children, long pausedMs) {}

    /**
     * A checkpoint written: its size on disk, how long the guest stood still for it, and the bytes
     * of guest memory it holds as changed against the memory the VM started from (-1: it holds a
     * full copy, the VM has no such base).
     */
    record Checkpointed(String id, long sizeBytes, long pausedMs, long changedMemoryBytes) {}

    /**
     * Copies the hot or warm VM {@code parentId} into new sandboxes: each has the parent's memory
     * (its processes run on), disk, shape and its own identity. The parent stands still only
     * while it is captured and then runs on. All children or none: a failure leaves no child.
     */
    Forked fork(String parentId, List<Child> children, String owner);

    /** Writes checkpoint {@code checkpointId} of the hot or warm VM {@code id} (memory and disk). */
    Checkpointed checkpoint(String id, String checkpointId);

    /** Rolls VM {@code id} back to its checkpoint: memory and disk as they were; it ends hot. */
    void restoreCheckpoint(String id, String checkpointId);

    /** A new sandbox from a checkpoint, of the shape of the sandbox it was taken of. */
    VmInfo createFromCheckpoint(String checkpointId, Child child, String owner);

    /** Removes a checkpoint's files; fine when it does not exist. */
    void deleteCheckpoint(String checkpointId);

    /** The checkpoints this engine holds files of (ids): the daemon reconciles them with its store at start. */
    List<String> checkpoints();
}
