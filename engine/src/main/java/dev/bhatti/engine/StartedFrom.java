package dev.bhatti.engine;

/**
 * How {@link Engine#start} made a VM hot, for the caller to report (decision 0015): it was already
 * running, its paused vCPUs were resumed, its last snapshot was restored, or it was booted afresh
 * on its disk (its processes and memory were lost; its disk was kept).
 */
public enum StartedFrom {
    /** Already hot; nothing was done. */
    RUNNING,
    /** Warm: its vCPUs were resumed. */
    RESUMED,
    /** Cold: its last snapshot was restored, processes intact. */
    SNAPSHOT,
    /** No usable snapshot (its VMM died): booted afresh on its disk. */
    DISK
}
