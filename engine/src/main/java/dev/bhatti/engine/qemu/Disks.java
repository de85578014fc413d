package dev.bhatti.engine.qemu;

import dev.bhatti.engine.CreateSpec;
import dev.bhatti.engine.EngineException;
import dev.bhatti.engine.OwnerOnly;
import dev.bhatti.proto.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a sandbox's disks with host tools: the qcow2 overlay on the shared read-only base (copies
 * nothing), the config drive (a small ext4 made with {@code mkfs.ext4 -d}, no mount, no loop
 * device) and new sparse ext4 volumes.
 */
final class Disks {
    private static final int CONFIG_DRIVE_MB = 8;

    private Disks() {}

    /** The root overlay; {@code sizeMb} (when given) makes its virtual disk larger than the image. */
    static void overlay(GuestImages images, SandboxDir dir, Integer sizeMb) throws IOException {
        OwnerOnly.file(dir.overlay());
        List<String> cmd = new ArrayList<>(List.of("qemu-img", "create", "-q", "-f", "qcow2",
                "-b", images.rootfs().toString(), "-F", "raw", dir.overlay().toString()));
        if (sizeMb != null) {
            cmd.add(sizeMb + "M");
        }
        Tools.run("create root overlay", cmd);
    }

    /** Refuses a root disk size smaller than the image (a qcow2 overlay cannot shrink its backing file). */
    static void checkRootSize(GuestImages images, Integer sizeMb) throws IOException {
        long imageMb = Files.size(images.rootfs()) >> 20;
        if (sizeMb != null && sizeMb < imageMb) {
            throw new EngineException.InvalidSpec("disk_size_mb " + sizeMb + " is smaller than the image ("
                    + imageMb + " MiB)");
        }
    }

    /** Writes config.json (SPEC §2.2) into a fresh ext4 image; the plain-text copy is removed. */
    static void configDrive(CreateSpec spec, String token, List<QemuCommand.Volume> volumes, SandboxDir dir)
            throws IOException {
        Path staging = Files.createTempDirectory(dir.path(), "config-");
        try {
            OwnerOnly.write(staging.resolve("config.json"), Json.encode(config(spec, token, volumes)));
            OwnerOnly.file(dir.configDrive());
            Tools.run("build config drive", List.of("mkfs.ext4", "-q", "-F", "-L", "bhatti-cfg", "-d", staging.toString(),
                    dir.configDrive().toString(), CONFIG_DRIVE_MB + "M"));
        } finally {
            new SandboxDir(staging).delete();
        }
    }

    /** What a sandbox was created with that its copies keep: env, and where its volumes are mounted. */
    record CreatedWith(Map<String, String> env, List<VolumeMount> volumes) {}

    /** One volume of a sandbox's config drive: its mount point and whether it is read-only. */
    record VolumeMount(String mount, boolean readOnly) {}

    /** Reads back what a sandbox was created with from its config drive (debugfs, no mount). */
    static CreatedWith createdWith(SandboxDir dir) throws IOException {
        String json = Tools.run("read config drive", List.of("debugfs", "-R", "cat /config.json", dir.configDrive().toString()));
        var config = Json.mapper().readTree(json.substring(json.indexOf('{')));
        Map<String, String> env = new LinkedHashMap<>();
        config.path("env").properties().forEach(e -> env.put(e.getKey(), e.getValue().asText()));
        List<VolumeMount> volumes = new ArrayList<>();
        config.path("volumes").forEach(v -> volumes.add(new VolumeMount(v.path("mount").asText(),
                v.path("read_only").asBoolean())));
        return new CreatedWith(env, volumes);
    }

    private static Map<String, Object> config(CreateSpec spec, String token, List<QemuCommand.Volume> volumes) {
        Map<String, Object> files = new LinkedHashMap<>();
        spec.files().forEach((path, f) -> files.put(path, Map.of(
                "content", Base64.getEncoder().encodeToString(f.content()), "mode", f.mode() == null ? "0644" : f.mode())));
        List<Map<String, Object>> vols = new ArrayList<>();
        for (int i = 0; i < volumes.size(); i++) {
            vols.add(Map.of("device", QemuCommand.volumeDevice(i), "mount", spec.volumes().get(i).mount(),
                    "fs", "ext4", "read_only", volumes.get(i).readOnly()));
        }
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("sandbox_id", spec.id());
        c.put("hostname", spec.name());
        c.put("token", token);
        c.put("env", spec.env());
        c.put("files", files);
        c.put("volumes", vols);
        if (spec.init() != null) {
            c.put("init", spec.init());
        }
        c.put("dns", List.of());
        c.put("user", "lohar");
        return c;
    }

    /**
     * Replays the journal of a volume about to be attached read-only (no writer has it then): a
     * sandbox that wrote it was ended without unmounting it, so what it wrote may be only in the
     * journal, and a read-only device cannot be mounted while its journal needs recovery.
     * e2fsck exits 1 when it replayed something; 0 when there was nothing to do.
     */
    static void replayJournal(Path image) {
        var r = dev.bhatti.engine.net.HostCommands.local().attempt("replay journal of " + image.getFileName(), "",
                List.of("e2fsck", "-p", "-E", "journal_only", image.toString()));
        if (r.exit() > 1) {
            throw new EngineException.InvalidSpec("volume " + image.getFileName() + " cannot be attached read-only: "
                    + "its file system needs repair (e2fsck exit " + r.exit() + "): " + r.output().strip());
        }
    }

    /** The spec's volumes as drives; new (ephemeral) ones are made in the sandbox directory. */
    static List<QemuCommand.Volume> volumes(CreateSpec spec, SandboxDir dir) throws IOException {
        List<QemuCommand.Volume> volumes = new ArrayList<>();
        for (CreateSpec.VolumeSpec v : spec.volumes()) {
            Path image = v.createMb() > 0 ? dir.volume(Integer.toString(volumes.size())) : v.image();
            if (v.createMb() > 0) {
                Disks.newVolume(image, v.createMb());
            } else if (v.readOnly()) {
                Disks.replayJournal(image);
            }
            volumes.add(new QemuCommand.Volume(image, v.readOnly()));
        }
        return volumes;
    }

    /** A new sparse ext4 image of {@code sizeMb} MiB. */
    static void newVolume(Path image, int sizeMb) throws IOException {
        OwnerOnly.file(image);
        Tools.run("create volume " + image.getFileName(), List.of("mkfs.ext4", "-q", "-F", "-E", "root_owner=1000:1000",
                image.toString(), sizeMb + "M"));
    }
}
