package dev.bhatti.engine;

/** How a sandbox's VM was first made (decision 0021): booted, or restored from an image snapshot. */
public enum CreatedFrom {
    /** Booted a kernel on a fresh disk. */
    BOOT,
    /** Restored from the image snapshot of its shape, then given its own identity. */
    SNAPSHOT;

    /** The API's spelling. */
    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
