package dev.bhatti.engine;

/** Where a sandbox's VM is (SPEC §3, §5). */
public enum Thermal {
    /** vCPUs running. */
    HOT,
    /** vCPUs paused; the VMM process and its memory are still there. */
    WARM,
    /** Snapshotted to disk; no VMM process. */
    COLD
}
