package dev.bhatti.server.sandbox;

import dev.bhatti.api.ErrorCode;
import dev.bhatti.engine.CreateSpec;
import dev.bhatti.server.api.ApiException;
import dev.bhatti.server.store.TemplateRow;
import dev.bhatti.server.store.User;
import dev.bhatti.server.volume.Volumes;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A create request with its template applied (request values win) and checked against the user's
 * limits and the engine's ranges: everything is refused before anything is created. Disk sizes
 * against the per-sandbox maximum and the storage quota are checked by {@code StorageQuota}.
 */
record Plan(String name, int cpus, int memoryMb, Integer diskSizeMb, Map<String, String> env, String init,
            boolean keepHot, String templateId, String image, List<String> secrets,
            Map<String, CreateSpec.FileSpec> files, List<CreateRequest.VolumeRef> volumes,
            List<CreateRequest.NewVolume> newVolumes, Map<String, String> labels) {

    static final int MIN_MEMORY_MB = 128;

    static Plan of(User user, CreateRequest r, TemplateRow t, Supplier<String> defaultName) {
        String name = r.name() == null ? defaultName.get() : r.name();
        Names.requireSandboxName(name);
        int cpus = pick(r.cpus(), t == null ? null : t.cpus(), Creation.DEFAULT_CPUS);
        int memory = pick(r.memoryMb(), t == null ? null : t.memoryMb(), Creation.DEFAULT_MEMORY_MB);
        if (cpus < 1 || cpus > user.limits().maxCpus()) {
            throw new ApiException(ErrorCode.INVALID_CPUS, "cpus must be 1.." + user.limits().maxCpus() + ", got " + cpus);
        }
        if (memory < MIN_MEMORY_MB || memory > user.limits().maxMemoryMb()) {
            throw new ApiException(ErrorCode.INVALID_MEMORY, "memory_mb must be " + MIN_MEMORY_MB + ".."
                    + user.limits().maxMemoryMb() + ", got " + memory);
        }
        if (r.diskSizeMb() != null && r.diskSizeMb() < 1) {
            throw new ApiException(ErrorCode.INVALID_DISK_SIZE, "disk_size_mb must be positive, got " + r.diskSizeMb());
        }
        if (r.volumes().size() + r.newVolumes().size() > CreateSpec.MAX_VOLUMES) {
            throw new ApiException(ErrorCode.TOO_MANY_VOLUMES, "at most " + CreateSpec.MAX_VOLUMES + " volumes");
        }
        Map<String, String> env = new LinkedHashMap<>(t == null ? Map.of() : t.env());
        env.putAll(r.env());
        EnvVars.requireSandboxEnv(env, "env");
        if (r.init() != null && r.init().indexOf('\0') >= 0) {
            throw new ApiException(ErrorCode.INVALID_INIT, "init contains a NUL byte");
        }
        Labels.requireKeys(r.labels());
        LinkedHashSet<String> secrets = new LinkedHashSet<>(t == null ? List.of() : t.secrets());
        secrets.addAll(r.secrets());
        return new Plan(name, cpus, memory, r.diskSizeMb(), env, r.init() != null ? r.init() : t == null ? null : t.init(),
                Boolean.TRUE.equals(r.keepHot()), t == null ? null : t.id(),
                r.image() != null ? r.image() : t == null || t.image() == null ? "minimal" : t.image(),
                List.copyOf(secrets), files(r.files()), mounts(r.volumes()), newVolumes(r.newVolumes()), r.labels());
    }

    CreateSpec spec(String id, Map<String, String> fullEnv, List<CreateSpec.VolumeSpec> volumeSpecs) {
        return new CreateSpec(id, name, cpus, memoryMb, diskSizeMb, fullEnv, init, files, volumeSpecs);
    }

    List<Volumes.VolumeRequest> volumeRequests() {
        return volumes.stream().map(v -> new Volumes.VolumeRequest(v.name(), v.mount(), Boolean.TRUE.equals(v.readOnly())))
                .toList();
    }

    List<Volumes.NewVolumeRequest> newVolumeRequests() {
        return newVolumes.stream().map(v -> new Volumes.NewVolumeRequest(v.name(), v.sizeMb(), v.mount())).toList();
    }

    private static int pick(Integer request, Integer template, int fallback) {
        return request != null ? request : template != null ? template : fallback;
    }

    private static Map<String, CreateSpec.FileSpec> files(List<CreateRequest.FileEntry> entries) {
        Map<String, CreateSpec.FileSpec> out = new LinkedHashMap<>();
        for (CreateRequest.FileEntry f : entries) {
            requireAbsolute(f.path(), "file path");
            if (f.mode() != null && !f.mode().matches("0?[0-7]{3,4}")) {
                throw new ApiException(ErrorCode.INVALID_MODE, "file mode must be octal like 0644, got " + f.mode());
            }
            try {
                out.put(f.path(), new CreateSpec.FileSpec(Base64.getDecoder().decode(f.content() == null ? "" : f.content()),
                        f.mode()));
            } catch (IllegalArgumentException e) {
                throw new ApiException(ErrorCode.INVALID_FILE, "content of " + f.path() + " is not base64: " + e.getMessage());
            }
        }
        return out;
    }

    private static List<CreateRequest.VolumeRef> mounts(List<CreateRequest.VolumeRef> refs) {
        for (CreateRequest.VolumeRef v : refs) {
            if (v.name() == null) {
                throw new ApiException(ErrorCode.INVALID_VOLUME, "volume name is required");
            }
            requireAbsolute(v.mount(), "mount of volume " + v.name());
        }
        return refs;
    }

    private static List<CreateRequest.NewVolume> newVolumes(List<CreateRequest.NewVolume> vols) {
        for (CreateRequest.NewVolume v : vols) {
            if (v.sizeMb() == null || v.sizeMb() < 1 || v.sizeMb() > CreateSpec.MAX_DISK_MB) {
                throw new ApiException(ErrorCode.INVALID_VOLUME, "new volume size_mb must be 1.." + CreateSpec.MAX_DISK_MB);
            }
            requireAbsolute(v.mount(), "mount of new volume " + v.name());
        }
        return vols;
    }

    private static void requireAbsolute(String path, String what) {
        if (path == null || !path.startsWith("/") || path.contains("\0") || path.split("/").length == 0
                || List.of(path.split("/")).contains("..")) {
            throw new ApiException(ErrorCode.INVALID_PATH, what + " must be an absolute path without .., got \"" + path + "\"");
        }
    }
}
