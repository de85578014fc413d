package dev.bhatti.server.store;

/**
 * A user's limits: sandbox count, cpus and memory per sandbox, and total volume storage.
 */
public record Limits(int maxSandboxes, int maxCpus, int maxMemoryMb, int maxVolumeStorageMb) {

    /** Defaults from the spec: 5 sandboxes, 4 cpus, 4096 MB per sandbox, 20480 MB of volumes. */
    public static final Limits DEFAULT = new Limits(5, 4, 4096, 20480);

    public Limits {
        positive("max_sandboxes", maxSandboxes);
        positive("max_cpus", maxCpus);
        positive("max_memory_mb", maxMemoryMb);
        if (maxVolumeStorageMb < 0) {
            throw new IllegalArgumentException("max_volume_storage_mb must be >= 0, got " + maxVolumeStorageMb);
        }
    }

    private static void positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be > 0, got " + value);
        }
    }
}
