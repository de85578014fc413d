package dev.bhatti.engine;

/**
 * How a sandbox's VM was first made (decisions 0021, 0022): booted, restored from an image
 * snapshot, forked from a running sandbox, or made from a checkpoint.
 */
public enum CreatedFrom {
    /** Booted a kernel on a fresh disk. */
    BOOT,
    /** Restored from the image snapshot of its shape, then given its own identity. */
    SNAPSHOT,
    /** A copy of another sandbox's running VM (memory, disk), given its own identity. */
    FORK,
    /** Restored from a checkpoint of another sandbox, given its own identity. */
    CHECKPOINT;

    /** The API's spelling. */
    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
