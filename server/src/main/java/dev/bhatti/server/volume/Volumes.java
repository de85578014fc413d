package dev.bhatti.server.volume;

import dev.bhatti.api.ErrorCode;
import dev.bhatti.engine.CreateSpec;
import dev.bhatti.engine.OwnerOnly;
import dev.bhatti.server.api.ApiException;
import dev.bhatti.server.store.Attachment;
import dev.bhatti.server.store.Store;
import dev.bhatti.server.store.StoreException;
import dev.bhatti.server.store.User;
import dev.bhatti.server.store.VolumeRow;
import dev.bhatti.server.storage.StorageQuota;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Persistent volumes (SPEC §4.2): sparse ext4 images under {@code <data>/volumes/<user id>/}, counted
 * against the user's storage quota and checked against the host's free space ({@link StorageQuota}),
 * and the attach rules applied when a sandbox is created with them.
 */
public final class Volumes {
    private static final Pattern NAME = Pattern.compile("^[a-zA-Z0-9][a-zA-Z0-9._-]{0,62}$");

    /** A volume as the API shows it. */
    public record View(String name, int sizeMb, String status, List<Map<String, Object>> attachments, String createdAt) {}

    private final Store store;
    private final Path root;
    private final StorageQuota quota;
    private final Clock clock;

    public Volumes(Store store, Path dataDir, StorageQuota quota, Clock clock) {
        this.store = store;
        this.root = dataDir.resolve("volumes");
        this.quota = quota;
        this.clock = clock;
    }

    public View create(User user, String name, Integer sizeMb) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new ApiException(ErrorCode.INVALID_NAME, "volume name must match " + NAME.pattern() + ", got \"" + name + "\"");
        }
        if (sizeMb == null || sizeMb < 1 || sizeMb > CreateSpec.MAX_DISK_MB) {
            throw new ApiException(ErrorCode.INVALID_SIZE, "size_mb must be 1.." + CreateSpec.MAX_DISK_MB + ", got " + sizeMb);
        }
        VolumeRow row = quota.reserve(user, new StorageQuota.Need("volume " + name, sizeMb, sizeMb),
                () -> store.insertVolume(new VolumeRow(user.id(), name, sizeMb, clock.instant())));
        try {
            OwnerOnly.directories(image(user, name).getParent());
            Mkfs.ext4(OwnerOnly.file(image(user, name)), sizeMb);
        } catch (IOException | RuntimeException e) {
            store.deleteVolume(user.id(), name);
            deleteQuietly(image(user, name), e);
            throw new IllegalStateException("creating the image of volume " + name + " failed: " + e.getMessage(), e);
        }
        return view(row);
    }

    public List<View> list(User user) {
        return store.volumes(user.id()).stream().map(this::view).toList();
    }

    public View get(User user, String name) {
        return view(store.volume(user.id(), name).orElseThrow(() -> notFound(name)));
    }

    /** Deletes the volume and its image; 409 while attached. */
    public void delete(User user, String name) throws IOException {
        if (!store.deleteVolume(user.id(), name)) {
            throw notFound(name);
        }
        Files.deleteIfExists(image(user, name));
    }

    /**
     * The engine's volume list for a new sandbox: existing volumes (attachment recorded, rules
     * checked) then ephemeral ones (counted against the storage quota with the sandbox, by
     * {@code Creation}). Refuses unknown volumes.
     */
    public List<CreateSpec.VolumeSpec> specs(User user, List<VolumeRequest> existing, List<NewVolumeRequest> ephemeral,
                                             String sandboxId) {
        List<CreateSpec.VolumeSpec> specs = new ArrayList<>();
        for (VolumeRequest v : existing) {
            store.volume(user.id(), v.name()).orElseThrow(() -> new ApiException(ErrorCode.VOLUME_NOT_FOUND,
                    "volume " + v.name() + " not found"));
            try {
                store.attach(new Attachment(user.id(), v.name(), sandboxId, v.mount(), v.readOnly()));
            } catch (StoreException.VolumeAttached e) {
                throw new ApiException(ErrorCode.VOLUME_ATTACHED, e.getMessage());
            }
            specs.add(new CreateSpec.VolumeSpec(image(user, v.name()), v.mount(), v.readOnly(), 0));
        }
        ephemeral.forEach(n -> specs.add(new CreateSpec.VolumeSpec(null, n.mount(), false, n.sizeMb())));
        return specs;
    }

    /**
     * Attaches to a copy of sandbox {@code sourceId} (a fork child, a sandbox from its checkpoint)
     * the persistent volumes the source has read-only: the copy's guest has them mounted. A
     * read-write one cannot be shared (the engine refuses such copies).
     */
    public void shareReadOnly(User user, String sourceId, String copyId) {
        for (VolumeRow volume : store.volumes(user.id())) {
            for (Attachment a : store.attachments(user.id(), volume.name())) {
                if (a.sandboxId().equals(sourceId) && a.readOnly()) {
                    try {
                        store.attach(new Attachment(user.id(), volume.name(), copyId, a.mount(), true));
                    } catch (StoreException.VolumeAttached e) {
                        throw new ApiException(ErrorCode.VOLUME_ATTACHED, e.getMessage());
                    }
                }
            }
        }
    }

    /** An existing volume to attach. */
    public record VolumeRequest(String name, String mount, boolean readOnly) {}

    /** An ephemeral volume made with the sandbox. */
    public record NewVolumeRequest(String name, int sizeMb, String mount) {}

    private View view(VolumeRow row) {
        List<Map<String, Object>> attachments = store.attachments(row.userId(), row.name()).stream()
                .map(a -> Map.<String, Object>of("sandbox_id", a.sandboxId(), "mount", a.mount(), "read_only", a.readOnly()))
                .toList();
        return new View(row.name(), row.sizeMb(), attachments.isEmpty() ? "available" : "attached", attachments,
                row.createdAt().toString());
    }

    Path image(User user, String name) {
        return root.resolve(user.id()).resolve(name + ".ext4");
    }

    private static ApiException notFound(String name) {
        return new ApiException(ErrorCode.VOLUME_NOT_FOUND, "volume " + name + " not found");
    }

    private static void deleteQuietly(Path image, Exception cause) {
        try {
            Files.deleteIfExists(image);
        } catch (IOException e) {
            cause.addSuppressed(e);
        }
    }
}
