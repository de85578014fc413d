package dev.bhatti.engine.qemu;

import dev.bhatti.engine.OwnerOnly;
import dev.bhatti.engine.qemu.qmp.QmpClient;
import dev.bhatti.engine.qemu.qmp.QmpCommand;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Point-in-time copies of a running VM, the source of forks and checkpoints (decision 0022). A
 * capture stops the guest, writes its device state (guest memory is a shared file, so this is
 * tens of KB), copies its memory file and root overlay sparsely, and lets it run again. A
 * capture directory is a {@link SandboxDir} layout holding {@code state} + {@code state.mode}
 * (shared memory), {@code mem}, {@code root.qcow2}, the VM's ephemeral volumes ({@code vol-*.ext4}:
 * they live in its directory, copied while the guest stands still, so their blocks match its page
 * cache) and {@code token} (the token the captured guest's agent holds). Persistent volumes are
 * not copied: a copy shares them read-only ({@link QemuCopies}). Live migration (the guest
 * running while its RAM is streamed) would stop it for less time, but its copies came up with corrupted kernel memory here (decision 0022).
 */
final class Captures {
    static final String TOKEN_FILE = ImageSnapshots.TOKEN_FILE;

    private Captures() {}

    /**
     * Captures the VM behind {@code qmp} (running or paused; directory {@code from}) into
     * {@code into}, which must exist and be empty. With {@code resume} the guest runs again
     * afterwards; without, it stays stopped (it was paused). With {@code memoryDelta} (a
     * checkpoint, which nothing runs on) and a base the VM's memory started from, only the pages
     * that differ from that base are kept ({@link MemoryDelta}); a fork's children run on a full
     * copy. Answers how long the guest stood still, in milliseconds.
     */
    static long capture(QmpClient qmp, SandboxDir from, SandboxDir into, String token, boolean resume,
                        boolean memoryDelta) throws IOException {
        long t0 = System.nanoTime();
        try {
            Snapshots.save(qmp, into, Snapshots.Mode.SHARED_MEMORY);
            java.util.Optional<Path> base = MemoryDelta.base(from);
            if (memoryDelta && base.isPresent()) {
                MemoryDelta.write(from.memory(), base.get(), into);
            } else {
                copySparse(from.memory(), into.memory());
                if (base.isPresent()) {
                    MemoryDelta.recordBase(into, base.get());
                }
            }
            copySparse(from.overlay(), into.overlay());
            for (Path volume : from.volumes()) {
                copySparse(volume, into.path().resolve(volume.getFileName()));
            }
        } finally {
            if (resume) {
                qmp.execute(QmpCommand.CONT);
            }
        }
        long pausedMs = (System.nanoTime() - t0) / 1_000_000;
        OwnerOnly.write(into.path().resolve(TOKEN_FILE), token.getBytes(StandardCharsets.US_ASCII));
        return pausedMs;
    }

    /** The token the captured guest's agent holds. */
    static String token(SandboxDir capture) throws IOException {
        return Files.readString(capture.path().resolve(TOKEN_FILE)).strip();
    }

    /**
     * Lays out a VM directory restorable from {@code capture}: sparse copies of its root overlay
     * (the backing chain stays that of the captured VM: no layer is added) and memory, and its
     * device state, which goes last. Existing files of those names are replaced.
     */
    static void cloneInto(SandboxDir capture, SandboxDir dir) throws IOException {
        List<Path> files = new java.util.ArrayList<>(List.of(capture.overlay()));
        files.addAll(capture.volumes());
        if (MemoryDelta.isDelta(capture)) {
            Path partial = dir.path().resolve(capture.memory().getFileName() + ".partial");
            MemoryDelta.materialize(capture, partial);
            Files.move(partial, dir.memory(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } else {
            files.add(capture.memory());
        }
        for (Path p : files) {
            Path partial = dir.path().resolve(p.getFileName() + ".partial");
            copySparse(p, partial);
            Files.move(partial, dir.path().resolve(p.getFileName()), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        }
        java.util.Optional<Path> base = MemoryDelta.base(capture);
        if (base.isPresent()) {
            MemoryDelta.recordBase(dir, base.get());
        }
        OwnerOnly.write(dir.path().resolve("state.mode"), Snapshots.Mode.SHARED_MEMORY.name()
                .getBytes(StandardCharsets.US_ASCII));
        Files.deleteIfExists(dir.stateInProgress());
        Files.copy(capture.state(), dir.stateInProgress());
        Files.setPosixFilePermissions(dir.stateInProgress(), java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Files.move(dir.stateInProgress(), dir.state(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Bytes a capture directory takes on disk (allocated blocks, not apparent sizes): one {@code stat}. */
    static long size(SandboxDir capture) throws IOException {
        List<String> cmd = new java.util.ArrayList<>(List.of("stat", "-c", "%b %B"));
        try (var files = Files.list(capture.path())) {
            files.filter(Files::isRegularFile).forEach(p -> cmd.add(p.toString()));
        }
        long total = 0;
        for (String line : Tools.run("stat " + capture.path().getFileName(), cmd).strip().split("\n")) {
            String[] f = line.strip().split(" ");
            total += Long.parseLong(f[0]) * Long.parseLong(f[1]);
        }
        return total;
    }

    static void copySparse(Path from, Path to) throws IOException {
        OwnerOnly.file(to);
        Tools.run("copy " + from.getFileName(), List.of("cp", "--sparse=always", from.toString(), to.toString()));
    }
}
