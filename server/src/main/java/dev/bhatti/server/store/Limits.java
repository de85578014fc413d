package dev.bhatti.server.store;

/**
 * A user's limits: sandbox count, cpus and memory per sandbox, and total storage.
 *
 * @param maxStorageMb one storage quota for everything the user's disks may grow to: root disks of
 *                     live sandboxes (their {@code disk_size_mb}, else the image's size), their
 *                     ephemeral volumes and the persistent volumes (decision 0016). Stored in the
 *                     {@code max_volume_storage_mb} column of schema version 1.
 */
public record Limits(int maxSandboxes, int maxCpus, int maxMemoryMb, int maxStorageMb) {

    /** Defaults from the spec: 5 sandboxes, 4 cpus, 4096 MB per sandbox, 20480 MB of storage. */
    public static final Limits DEFAULT = new Limits(5, 4, 4096, 20480);

    public Limits {
        positive("max_sandboxes", maxSandboxes);
        positive("max_cpus", maxCpus);
        positive("max_memory_mb", maxMemoryMb);
        if (maxStorageMb < 0) {
            throw new IllegalArgumentException("max_storage_mb must be >= 0, got " + maxStorageMb);
        }
    }

    private static void positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be > 0, got " + value);
        }
    }
}
