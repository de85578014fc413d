package dev.bhatti.server.sandbox;

import java.util.List;
import java.util.Map;

/**
 * Body of {@code POST /sandboxes} (SPEC §4.2). Every field is optional; validation against the
 * user's limits happens in {@link Sandboxes#create}.
 */
public record CreateRequest(String name, Integer cpus, Integer memoryMb, Integer diskSizeMb, Map<String, String> env,
                            String init, Boolean keepHot, String templateId, String image, List<String> secrets,
                            List<FileEntry> files, List<VolumeRef> volumes, List<NewVolume> newVolumes,
                            Map<String, String> labels, String checkpoint,
                            dev.bhatti.api.model.NetworkPolicy network) {

    public CreateRequest {
        env = env == null ? Map.of() : Map.copyOf(env);
        secrets = secrets == null ? List.of() : List.copyOf(secrets);
        files = files == null ? List.of() : List.copyOf(files);
        volumes = volumes == null ? List.of() : List.copyOf(volumes);
        newVolumes = newVolumes == null ? List.of() : List.copyOf(newVolumes);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    /** A file written into the guest at boot; {@code content} is base64. */
    public record FileEntry(String path, String content, String mode) {}

    /** An existing volume of the user, attached at {@code mount}. */
    public record VolumeRef(String name, String mount, Boolean readOnly) {}

    /** An ephemeral volume created with the sandbox and removed with it. */
    public record NewVolume(String name, Integer sizeMb, String mount) {}

    /** A request with nothing set: every default applies. */
    public static CreateRequest empty() {
        return new CreateRequest(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /**
     * The checkpoint id of a create from a checkpoint; only {@code name} may come with it (the
     * sandbox gets the checkpoint's shape, disk, memory and env).
     */
    String fromCheckpoint() {
        boolean more = cpus != null || memoryMb != null || diskSizeMb != null || !env.isEmpty() || init != null
                || keepHot != null || templateId != null || image != null || !secrets.isEmpty() || !files.isEmpty()
                || !volumes.isEmpty() || !newVolumes.isEmpty() || !labels.isEmpty() || network != null;
        if (more) {
            throw new dev.bhatti.server.api.ApiException(dev.bhatti.api.ErrorCode.INVALID_REQUEST, "a create from a "
                    + "checkpoint takes only name: the sandbox gets the checkpoint's shape, disk, memory, env and network policy");
        }
        return checkpoint;
    }
}
