package dev.bhatti.engine;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What to create (SPEC §3): resources, environment, init script, files and volumes.
 *
 * @param id        unique, [a-z0-9-], used for the sandbox directory
 * @param cpus      vCPUs, 1..16 (default 1)
 * @param memoryMb  guest RAM, 128..65536 (default 512)
 * @param diskSizeMb root disk size in MiB, null = the image's own size; never smaller than the image
 * @param files     guest path → content and octal mode
 * @param volumes   extra disks, attached in order as /dev/vdc, /dev/vdd, ...
 */
public record CreateSpec(String id, String name, int cpus, int memoryMb, Integer diskSizeMb, Map<String, String> env, String init,
                         Map<String, FileSpec> files, List<VolumeSpec> volumes) {
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    /** Volumes per sandbox (SPEC §9). */
    public static final int MAX_VOLUMES = 24;
    /** Largest root disk: 1 TiB (sparse; only written blocks take space). */
    public static final int MAX_DISK_MB = 1 << 20;

    /** One file written by the agent at boot. */
    public record FileSpec(byte[] content, String mode) {}

    /**
     * A volume: an ext4 image file mounted at {@code mount}. {@code create} > 0 makes a new sparse
     * image of that many MiB at {@code image} (ephemeral: removed with the sandbox).
     */
    public record VolumeSpec(java.nio.file.Path image, String mount, boolean readOnly, int createMb) {}

    /** Refuses a sandbox id that is not usable as a directory name ({@code [a-z0-9-]}, up to 63). */
    public static String requireId(String id) {
        Objects.requireNonNull(id, "id");
        if (!ID.matcher(id).matches()) {
            throw new EngineException.InvalidSpec("sandbox id must match " + ID + ", got " + id);
        }
        return id;
    }

    public CreateSpec {
        requireId(id);
        if (cpus < 1 || cpus > 16) {
            throw new EngineException.InvalidSpec("cpus must be 1..16, got " + cpus);
        }
        if (memoryMb < 128 || memoryMb > 65536) {
            throw new EngineException.InvalidSpec("memory_mb must be 128..65536, got " + memoryMb);
        }
        if (diskSizeMb != null && (diskSizeMb < 1 || diskSizeMb > MAX_DISK_MB)) {
            throw new EngineException.InvalidSpec("disk_size_mb must be 1.." + MAX_DISK_MB + ", got " + diskSizeMb);
        }
        env = env == null ? Map.of() : Map.copyOf(env);
        files = files == null ? Map.of() : Map.copyOf(files);
        volumes = volumes == null ? List.of() : List.copyOf(volumes);
        if (volumes.size() > MAX_VOLUMES) {
            throw new EngineException.InvalidSpec("at most " + MAX_VOLUMES + " volumes, got " + volumes.size());
        }
        name = name == null ? id : name;
    }

    /** A 1-vCPU, 512 MiB sandbox with nothing else. */
    public static CreateSpec basic(String id) {
        return new CreateSpec(id, id, 1, 512, null, Map.of(), null, Map.of(), List.of());
    }
}
