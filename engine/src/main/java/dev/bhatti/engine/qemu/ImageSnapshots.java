package dev.bhatti.engine.qemu;

import dev.bhatti.engine.CreateSpec;
import dev.bhatti.engine.EngineException;
import dev.bhatti.engine.OwnerOnly;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Snapshots of a freshly booted guest per shape (image, cpus, memory_mb), under
 * {@code <data>/snapshots/<key>/}: the frozen root overlay, guest memory, device state and the
 * token the snapshot's agent holds. The key hashes the image's real path (a content-hash
 * directory), its kernel, initrd, the kernel arguments and the shape: a rebuilt image gets a new
 * key. A snapshot is complete iff its directory exists (it is built in {@code <key>.partial} and
 * renamed); its files are read-only and shared by every sandbox made from it (decision 0021).
 * One spare clone per snapshot is laid out ahead of time, so a create usually only renames it.
 */
final class ImageSnapshots {
    private static final Logger log = LoggerFactory.getLogger(ImageSnapshots.class);
    static final String TOKEN_FILE = "token";
    /**
     * Empty volume drives every image snapshot is taken with (zero-sized {@code null-co}): a create
     * with up to this many volumes restores it and puts its volumes in the first slots.
     */
    static final int VOLUME_SLOTS = 4;
    /** In a spare clone directory once it is complete; removed before the directory is taken. */
    private static final String SPARE_READY = "spare-ready";

    /** A complete snapshot: its directory (a {@link SandboxDir} layout) and the token its agent holds. */
    record Snapshot(SandboxDir dir, String token, int cpus, int memoryMb) {}

    private final Path root;
    private final GuestImages images;
    private final Map<String, Object> building = new ConcurrentHashMap<>();

    ImageSnapshots(Path dataDir, GuestImages images) {
        this.root = dataDir.resolve("snapshots");
        this.images = images;
    }

    /** The complete snapshot of this shape, if one was built for the current image. */
    Optional<Snapshot> find(int cpus, int memoryMb, String kernelArgs) {
        SandboxDir dir = new SandboxDir(root.resolve(key(cpus, memoryMb, kernelArgs)));
        try {
            if (!Files.isRegularFile(dir.state()) || !Files.isRegularFile(dir.path().resolve(TOKEN_FILE))) {
                return Optional.empty();
            }
            return Optional.of(new Snapshot(dir, Files.readString(dir.path().resolve(TOKEN_FILE)).strip(), cpus, memoryMb));
        } catch (IOException e) {
            log.warn("event=image_snapshot_unreadable dir={} error=\"{}\"", dir.path(), e.getMessage());
            return Optional.empty();
        }
    }

    /** What builds a snapshot: boots a VM in {@code dir} from {@code spec}, waits for its agent and stops it. */
    interface Builder {
        void bootAndStop(CreateSpec spec, SandboxDir dir, String token) throws IOException;
    }

    /**
     * Builds the snapshot of this shape unless it exists (one build per shape at a time); a failed
     * build leaves nothing behind.
     */
    Snapshot build(int cpus, int memoryMb, String kernelArgs, String token, Builder builder) throws IOException {
        String key = key(cpus, memoryMb, kernelArgs);
        synchronized (building.computeIfAbsent(key, k -> new Object())) {
            Optional<Snapshot> done = find(cpus, memoryMb, kernelArgs);
            if (done.isPresent()) {
                return done.get();
            }
            long started = System.nanoTime();
            SandboxDir partial = new SandboxDir(root.resolve(key + ".partial"));
            partial.delete();
            partial.create();
            try {
                CreateSpec spec = new CreateSpec("img-" + key.substring(0, 12), "snapshot", cpus, memoryMb, null, Map.of(),
                        null, Map.of(), List.of());
                builder.bootAndStop(spec, partial, token);
                OwnerOnly.write(partial.path().resolve(TOKEN_FILE), token.getBytes(StandardCharsets.US_ASCII));
                for (Path p : List.of(partial.overlay(), partial.memory(), partial.state())) {
                    Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString("r--------"));
                }
                Files.deleteIfExists(partial.qmpSocket());
                Files.move(partial.path(), root.resolve(key), StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException | RuntimeException e) {
                partial.delete();
                throw e;
            }
            log.info("event=image_snapshot_built key={} cpus={} memory_mb={} ms={}", key, cpus, memoryMb,
                    (System.nanoTime() - started) / 1_000_000);
            return find(cpus, memoryMb, kernelArgs).orElseThrow(() -> new EngineException.VmmFailed(
                    "image snapshot " + key + " is incomplete after its build", null));
        }
    }

    /**
     * Lays out a new sandbox directory on {@code snapshot}: a qcow2 overlay backed by the frozen
     * root overlay, a sparse copy of guest memory (holes stay holes), and the device state.
     */
    static void cloneInto(Snapshot snapshot, SandboxDir dir) throws IOException {
        OwnerOnly.file(dir.overlay());
        Tools.run("create root overlay on the image snapshot", List.of("qemu-img", "create", "-q", "-f", "qcow2",
                "-b", snapshot.dir().overlay().toString(), "-F", "qcow2", dir.overlay().toString()));
        OwnerOnly.file(dir.memory());
        Tools.run("copy guest memory", List.of("cp", "--sparse=always", snapshot.dir().memory().toString(),
                dir.memory().toString()));
        Files.copy(snapshot.dir().state(), dir.state(), StandardCopyOption.REPLACE_EXISTING);
        Path mode = snapshot.dir().path().resolve("state.mode");
        if (Files.exists(mode)) {
            Files.copy(mode, dir.path().resolve("state.mode"), StandardCopyOption.REPLACE_EXISTING);
        }
        for (Path p : List.of(dir.memory(), dir.state())) {
            Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        }
        MemoryDelta.recordBase(dir, snapshot.dir().memory());
    }

    /**
     * Moves the snapshot's spare clone (a directory {@link #cloneInto} laid out ahead of time,
     * {@code <key>.spare}) to {@code target}, which must not exist; false when none is ready.
     */
    boolean takeSpare(Snapshot snapshot, SandboxDir target) throws IOException {
        Path spare = spare(snapshot);
        synchronized (spareLock(spare)) {
            if (!Files.exists(spare.resolve(SPARE_READY))) {
                return false;
            }
            Files.delete(spare.resolve(SPARE_READY));
            Files.move(spare, target.path(), StandardCopyOption.ATOMIC_MOVE);
            return true;
        }
    }

    /**
     * Lays out the snapshot's spare clone unless one is ready (creates then only rename a
     * directory instead of copying memory); a failure leaves no spare, and creates copy.
     */
    void refillSpare(Snapshot snapshot) {
        Path spare = spare(snapshot);
        // One refill at a time; the copy runs outside the lock a create takes the spare under, so
        // a create during a refill copies on its own instead of waiting for it.
        synchronized (building.computeIfAbsent(spare + ".refill", k -> new Object())) {
            if (Files.exists(spare.resolve(SPARE_READY))) {
                return;
            }
            SandboxDir partial = new SandboxDir(spare.resolveSibling(spare.getFileName() + ".partial"));
            try {
                partial.delete();
                partial.create();
                cloneInto(snapshot, partial);
                synchronized (spareLock(spare)) {
                    new SandboxDir(spare).delete();
                    Files.move(partial.path(), spare, StandardCopyOption.ATOMIC_MOVE);
                    OwnerOnly.write(spare.resolve(SPARE_READY), new byte[0]);
                }
            } catch (IOException | RuntimeException e) {
                log.warn("event=spare_clone_failed snapshot={} error=\"{}\"", snapshot.dir().path(), e.getMessage());
                try {
                    partial.delete();
                } catch (IOException ignored) {
                    // the next refill removes it
                }
            }
        }
    }

    private Object spareLock(Path spare) {
        return building.computeIfAbsent(spare.toString(), k -> new Object());
    }

    private static Path spare(Snapshot snapshot) {
        return snapshot.dir().path().resolveSibling(snapshot.dir().path().getFileName() + ".spare");
    }

    private String key(int cpus, int memoryMb, String kernelArgs) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Path p : List.of(images.rootfs(), images.kernel(), images.initrd())) {
                Path real = p.toRealPath();
                sha.update((real + "|" + Files.size(real) + "|" + Files.getLastModifiedTime(real).toMillis() + "\n")
                        .getBytes(StandardCharsets.UTF_8));
            }
            sha.update((cpus + "|" + memoryMb + "|" + kernelArgs + "|slots=" + VOLUME_SLOTS).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest()).substring(0, 24);
        } catch (IOException e) {
            throw new EngineException.InvalidSpec("guest image missing: " + e.getMessage());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
