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
 * (shared memory), {@code mem}, {@code root.qcow2} and {@code token} (the token the captured
 * guest's agent holds). Live migration (the guest running while its RAM is streamed) would stop
 * it for less time, but its copies came up with corrupted kernel memory here (decision 0022).
 */
final class Captures {
    static final String TOKEN_FILE = ImageSnapshots.TOKEN_FILE;

    /**
     * What a capture cost the captured guest and what it wrote.
     *
     * @param pausedMs   how long the guest stood still
     * @param stateBytes the device state
     * @param memoryBytes allocated bytes of the memory copy (pages the guest never touched are holes)
     * @param diskBytes  allocated bytes of the root overlay copy
     */
    record Captured(long pausedMs, long stateBytes, long memoryBytes, long diskBytes) {
        long bytes() {
            return stateBytes + memoryBytes + diskBytes;
        }
    }

    private Captures() {}

    /**
     * Captures the VM behind {@code qmp} (running or paused; directory {@code from}) into
     * {@code into}, which must exist and be empty. With {@code resume} the guest runs again
     * afterwards; without, it stays stopped (it was paused).
     */
    static Captured capture(QmpClient qmp, SandboxDir from, SandboxDir into, String token, boolean resume) throws IOException {
        long t0 = System.nanoTime();
        try {
            Snapshots.save(qmp, into, Snapshots.Mode.SHARED_MEMORY);
            copySparse(from.memory(), into.memory());
            copySparse(from.overlay(), into.overlay());
        } finally {
            if (resume) {
                qmp.execute(QmpCommand.CONT);
            }
        }
        long pausedMs = (System.nanoTime() - t0) / 1_000_000;
        OwnerOnly.write(into.path().resolve(TOKEN_FILE), token.getBytes(StandardCharsets.US_ASCII));
        return new Captured(pausedMs, Files.size(into.state()), allocated(into.memory()), allocated(into.overlay()));
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
        for (Path p : List.of(capture.overlay(), capture.memory())) {
            Path partial = dir.path().resolve(p.getFileName() + ".partial");
            copySparse(p, partial);
            Files.move(partial, dir.path().resolve(p.getFileName()), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        }
        OwnerOnly.write(dir.path().resolve("state.mode"), Snapshots.Mode.SHARED_MEMORY.name()
                .getBytes(StandardCharsets.US_ASCII));
        Files.deleteIfExists(dir.stateInProgress());
        Files.copy(capture.state(), dir.stateInProgress());
        Files.setPosixFilePermissions(dir.stateInProgress(), java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Files.move(dir.stateInProgress(), dir.state(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Bytes a capture directory takes on disk (allocated blocks, not apparent sizes). */
    static long size(SandboxDir capture) throws IOException {
        long total = 0;
        try (var files = Files.list(capture.path())) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                total += allocated(p);
            }
        }
        return total;
    }

    /** Allocated bytes of a file ({@code stat %b} blocks of {@code %B} bytes): holes do not count. */
    static long allocated(Path p) {
        String[] out = Tools.run("stat " + p.getFileName(), List.of("stat", "-c", "%b %B", p.toString())).strip().split(" ");
        return Long.parseLong(out[0]) * Long.parseLong(out[1]);
    }

    private static void copySparse(Path from, Path to) throws IOException {
        OwnerOnly.file(to);
        Tools.run("copy " + from.getFileName(), List.of("cp", "--sparse=always", from.toString(), to.toString()));
    }
}
