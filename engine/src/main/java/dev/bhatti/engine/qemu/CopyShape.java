package dev.bhatti.engine.qemu;

import dev.bhatti.engine.CreateSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a copy of a sandbox (a fork child, a sandbox from a checkpoint) is made with besides the
 * captured memory and disk: the shape, the env it was created with (read back from its config
 * drive) and its volumes in drive order with their volume-slot count, so the copy's device set is
 * the one its guest's memory expects. An ephemeral volume ({@code file} set) is the copy's own
 * {@code vol-*.ext4}, copied with the capture; a persistent one ({@code image} set) is shared and
 * always read-only. A checkpoint keeps it in its {@code shape} file: a line
 * {@code cpus memory_mb volume_slots}, then a line per volume of tab-separated
 * {@code ro|rw}, mount, and a file name or absolute image path (older checkpoints have only the
 * first line, or only its first two numbers).
 */
record CopyShape(int cpus, int memoryMb, int volumeSlots, Map<String, String> env, List<Vol> volumes) {

    /** One volume of the copied sandbox. */
    record Vol(String mount, boolean readOnly, String file, Path image) {
        /** Its drive in a copy laid out in {@code dir}. */
        QemuCommand.Volume drive(SandboxDir dir) {
            return new QemuCommand.Volume(file != null ? dir.path().resolve(file) : image, readOnly);
        }
    }

    CopyShape {
        env = Map.copyOf(env);
        volumes = List.copyOf(volumes);
    }

    /** The shape of a running VM (its config drive gives the env and the mount points). */
    static CopyShape of(VmConfig config) throws IOException {
        Disks.CreatedWith with = Disks.createdWith(config.dir());
        List<Vol> vols = new ArrayList<>();
        for (int i = 0; i < config.volumes().size(); i++) {
            QemuCommand.Volume v = config.volumes().get(i);
            String mount = with.volumes().get(i).mount();
            vols.add(isEphemeral(v, config.dir()) ? new Vol(mount, v.readOnly(), v.image().getFileName().toString(), null)
                    : new Vol(mount, v.readOnly(), null, v.image()));
        }
        return new CopyShape(config.cpus(), config.memoryMb(), config.volumeSlots(), with.env(), vols);
    }

    /** An ephemeral volume lives in the sandbox's own directory (made with it, removed with it). */
    static boolean isEphemeral(QemuCommand.Volume v, SandboxDir dir) {
        return v.image().getParent() != null && v.image().getParent().equals(dir.path());
    }

    /** A volume's name as the user knows it: its image's file name without {@code .ext4}. */
    static String volumeName(QemuCommand.Volume v) {
        return v.image().getFileName().toString().replaceFirst("\\.ext4$", "");
    }

    /** The volumes as the copy's create spec lists them (for its config drive). */
    List<CreateSpec.VolumeSpec> volumeSpecs(SandboxDir dir) {
        return volumes.stream().map(v -> new CreateSpec.VolumeSpec(v.drive(dir).image(), v.mount(), v.readOnly(), 0))
                .toList();
    }

    String encode() {
        StringBuilder b = new StringBuilder(cpus + " " + memoryMb + " " + volumeSlots + "\n");
        for (Vol v : volumes) {
            b.append(v.readOnly() ? "ro" : "rw").append('\t').append(v.mount()).append('\t')
                    .append(v.file() != null ? v.file() : v.image().toString()).append('\n');
        }
        return b.toString();
    }

    /** The shape written by {@link #encode} into checkpoint {@code cp}; the env comes from its config drive. */
    static CopyShape decode(String text, SandboxDir cp) throws IOException {
        List<String> lines = text.strip().lines().toList();
        String[] head = lines.getFirst().strip().split(" ");
        List<Vol> vols = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\t", 3);
            boolean ro = f[0].equals("ro");
            vols.add(f[2].startsWith("/") ? new Vol(f[1], ro, null, Path.of(f[2])) : new Vol(f[1], ro, f[2], null));
        }
        return new CopyShape(Integer.parseInt(head[0]), Integer.parseInt(head[1]),
                head.length > 2 ? Integer.parseInt(head[2]) : 0, Disks.createdWith(cp).env(), vols);
    }
}
