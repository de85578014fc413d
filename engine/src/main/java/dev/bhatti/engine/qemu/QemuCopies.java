package dev.bhatti.engine.qemu;

import dev.bhatti.engine.Copies;
import dev.bhatti.engine.CreateSpec;
import dev.bhatti.engine.CreatedFrom;
import dev.bhatti.engine.EngineException;
import dev.bhatti.engine.FaultPoint;
import dev.bhatti.engine.OwnerOnly;
import dev.bhatti.engine.VmInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forks and checkpoints on QEMU (decision 0022), and the restore every copy ends in: a new
 * sandbox directory laid out from a capture (or an image snapshot) is restored holding the token
 * its guest had, and then given its own identity over IDENTITY. Checkpoints live under
 * {@code <data>/checkpoints/<id>/} (a {@link Captures} directory plus {@code shape}); one is
 * written in {@code <id>.partial} and complete once renamed.
 */
final class QemuCopies {
    private static final Logger log = LoggerFactory.getLogger(QemuCopies.class);
    private static final Pattern CHECKPOINT_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final String SHAPE_FILE = "shape";

    /** What the engine lends its copies: its VMs, how to make one, where sandboxes live. */
    interface Host {
        QemuVm vm(String id);

        /** A new VM object for {@code dir} holding {@code heldToken}, registered with the engine. */
        QemuVm register(CreateSpec spec, String owner, SandboxDir dir, String heldToken, List<QemuCommand.Volume> volumes,
                        int volumeSlots);

        SandboxDir sandboxDir(String id);

        /** Removes a VM that failed to come up (its VMM, network, directory). */
        void discard(String id, QemuVm vm, SandboxDir dir);
    }

    private final Host host;
    private final Path checkpoints;
    private final SecureRandom random = new SecureRandom();

    QemuCopies(Path dataDir, Host host) {
        this.host = host;
        this.checkpoints = dataDir.resolve("checkpoints");
    }

    /**
     * The restore every copy ends in: records how the VM was made, gives it a config drive with
     * its own token (a later boot on its disk reads it), restores it and sends IDENTITY.
     */
    QemuVm restoreAsNew(CreateSpec spec, String owner, SandboxDir dir, String heldToken, CreatedFrom from,
                        List<QemuCommand.Volume> volumes, int volumeSlots, SandboxDir capture) throws IOException {
        dir.recordCreatedFrom(from);
        String token = HexFormat.of().formatHex(bytes(16));
        Disks.configDrive(spec, token, volumes, dir);
        QemuVm vm = host.register(spec, owner, dir, heldToken, volumes, volumeSlots);
        dev.bhatti.proto.IdentityRequest.Network network = capture == null ? null : vm.expectCopyOf(capture).orElse(null);
        vm.restoreAsNew(Identities.of(spec, token, bytes(64), bytes(16), from == CreatedFrom.SNAPSHOT, network));
        return vm;
    }

    /**
     * A copy restored from a capture laid out in {@code dir}: the shape, env and volumes of the
     * sandbox captured (its ephemeral volumes are the copies in {@code dir}; persistent ones, read-only,
     * are shared), already mounted in the guest's memory.
     */
    private QemuVm restoreCopy(CopyShape shape, Copies.Child child, String owner, SandboxDir dir, String held,
                               CreatedFrom from, SandboxDir capture) throws IOException {
        List<QemuCommand.Volume> volumes = shape.volumes().stream().map(v -> v.drive(dir)).toList();
        CreateSpec spec = new CreateSpec(child.id(), child.name(), shape.cpus(), shape.memoryMb(), null, shape.env(), null,
                Map.of(), shape.volumeSpecs(dir));
        return restoreAsNew(spec, owner, dir, held, from, volumes, shape.volumeSlots(), capture);
    }

    Copies.Forked fork(String parentId, List<Copies.Child> children, String owner) {
        QemuVm parent = host.vm(parentId);
        requireCopyable(parent);
        if (children.isEmpty()) {
            throw new EngineException.InvalidSpec("a fork needs at least one child");
        }
        List<SandboxDir> dirs = new ArrayList<>();
        List<QemuVm> made = new ArrayList<>();
        try {
            for (Copies.Child c : children) {
                SandboxDir dir = host.sandboxDir(c.id());
                if (Files.exists(dir.path())) {
                    throw new EngineException.InvalidSpec("sandbox " + c.id() + " already exists");
                }
                dir.create();
                dirs.add(dir);
            }
            long t0 = System.nanoTime();
            long pausedMs = parent.capture(dirs.getFirst(), false);
            FaultPoint.reach("fork.after_capture");
            String held = Captures.token(dirs.getFirst());
            long laidOut = System.nanoTime();
            CopyShape shape = CopyShape.of(parent.config());
            made.addAll(restoreAll(children, dirs, shape, owner, held, dirs.getFirst()));
            for (SandboxDir dir : dirs) {
                Files.deleteIfExists(dir.path().resolve(Captures.TOKEN_FILE));
                Files.deleteIfExists(dir.sourceNic());
            }
            log.info("event=sandbox_forked parent={} children={} paused_ms={} capture_ms={} copy_and_restore_ms={}",
                    parentId, children.size(), pausedMs, (laidOut - t0) / 1_000_000, (System.nanoTime() - laidOut) / 1_000_000);
            return new Copies.Forked(made.stream().map(QemuVm::info).toList(), pausedMs);
        } catch (IOException | RuntimeException e) {
            for (int i = 0; i < dirs.size(); i++) {
                host.discard(children.get(i).id(), i < made.size() ? made.get(i) : null, dirs.get(i));
            }
            throw e instanceof EngineException ee ? ee
                    : new EngineException.VmmFailed("forking sandbox " + parentId + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Lays out and restores every child at once; all or none (the caller discards them on failure).
     * The capture is the first child's directory: each other child is copied from it and restored
     * at once, and the first is restored only when every copy of it is done (its guest then writes
     * its memory).
     */
    private List<QemuVm> restoreAll(List<Copies.Child> children, List<SandboxDir> dirs, CopyShape shape, String owner,
                                    String held, SandboxDir capture) throws IOException {
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            java.util.concurrent.CountDownLatch copied = new java.util.concurrent.CountDownLatch(children.size() - 1);
            List<Future<QemuVm>> futures = new ArrayList<>();
            for (int i = 0; i < children.size(); i++) {
                Copies.Child c = children.get(i);
                SandboxDir dir = dirs.get(i);
                boolean first = i == 0;
                futures.add(pool.submit(() -> {
                    if (first) {
                        copied.await();
                    } else {
                        try {
                            Captures.cloneInto(capture, dir);
                        } finally {
                            copied.countDown();
                        }
                    }
                    return restoreCopy(shape, c, owner, dir, held, CreatedFrom.FORK, capture);
                }));
            }
            List<QemuVm> vms = new ArrayList<>();
            IOException failure = null;
            for (Future<QemuVm> f : futures) {
                try {
                    vms.add(f.get());
                } catch (ExecutionException e) {
                    failure = failure != null ? failure : new IOException(e.getCause().getMessage(), e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failure = new IOException("interrupted restoring forked sandboxes", e);
                }
            }
            if (failure != null) {
                throw failure;
            }
            return vms;
        }
    }

    Copies.Checkpointed checkpoint(String id, String checkpointId) {
        QemuVm vm = host.vm(id);
        requireCopyable(vm);
        SandboxDir partial = new SandboxDir(checkpointDir(checkpointId).path().resolveSibling(checkpointId + ".partial"));
        try {
            if (Files.exists(checkpointDir(checkpointId).path())) {
                throw new EngineException.InvalidSpec("checkpoint " + checkpointId + " already exists");
            }
            partial.delete();
            partial.create();
            long pausedMs = vm.capture(partial, true);
            OwnerOnly.write(partial.path().resolve(SHAPE_FILE), CopyShape.of(vm.config()).encode()
                    .getBytes(StandardCharsets.UTF_8));
            // The config drive keeps the env the sandbox was made with: a sandbox made from the checkpoint gets it.
            Captures.copySparse(vm.config().dir().configDrive(), partial.configDrive());
            FaultPoint.reach("checkpoint.before_rename");
            Files.move(partial.path(), checkpointDir(checkpointId).path(), StandardCopyOption.ATOMIC_MOVE);
            long size = Captures.size(checkpointDir(checkpointId));
            long changed = MemoryDelta.changedBytes(checkpointDir(checkpointId));
            log.info("event=checkpoint_written sandbox={} checkpoint={} bytes={} changed_memory_bytes={} paused_ms={}", id,
                    checkpointId, size, changed, pausedMs);
            return new Copies.Checkpointed(checkpointId, size, pausedMs, changed);
        } catch (IOException | RuntimeException e) {
            try {
                partial.delete();
            } catch (IOException cleanup) {
                log.error("event=checkpoint_cleanup_failed checkpoint={} error=\"{}\"", checkpointId, cleanup.getMessage());
            }
            throw e instanceof EngineException ee ? ee
                    : new EngineException.VmmFailed("checkpoint of sandbox " + id + " failed: " + e.getMessage(), e);
        }
    }

    void restoreCheckpoint(String id, String checkpointId) {
        QemuVm vm = host.vm(id);
        SandboxDir cp = existing(checkpointId);
        long t0 = System.nanoTime();
        vm.rollBack(cp);
        log.info("event=checkpoint_restored sandbox={} checkpoint={} ms={}", id, checkpointId, (System.nanoTime() - t0) / 1_000_000);
    }

    VmInfo createFromCheckpoint(String checkpointId, Copies.Child child, String owner) {
        SandboxDir cp = existing(checkpointId);
        SandboxDir dir = host.sandboxDir(child.id());
        if (Files.exists(dir.path())) {
            throw new EngineException.InvalidSpec("sandbox " + child.id() + " already exists");
        }
        QemuVm vm = null;
        try {
            CopyShape shape = CopyShape.decode(Files.readString(cp.path().resolve(SHAPE_FILE)), cp);
            dir.create();
            Captures.cloneInto(cp, dir);
            vm = restoreCopy(shape, child, owner, dir, Captures.token(cp), CreatedFrom.CHECKPOINT, cp);
            return vm.info();
        } catch (IOException | RuntimeException e) {
            host.discard(child.id(), vm, dir);
            throw e instanceof EngineException ee ? ee
                    : new EngineException.VmmFailed("creating sandbox " + child.id() + " from checkpoint " + checkpointId
                            + " failed: " + e.getMessage(), e);
        }
    }

    void deleteCheckpoint(String checkpointId) {
        try {
            checkpointDir(checkpointId).delete();
        } catch (IOException e) {
            throw new EngineException.VmmFailed("removing checkpoint " + checkpointId + ": " + e.getMessage(), e);
        }
    }

    /** Complete checkpoints; half-written ones ({@code .partial}, from a crash) are removed. */
    List<String> checkpoints() {
        if (!Files.isDirectory(checkpoints)) {
            return List.of();
        }
        List<String> ids = new ArrayList<>();
        try (var all = Files.list(checkpoints)) {
            for (Path p : all.toList()) {
                String name = p.getFileName().toString();
                if (name.endsWith(".partial")) {
                    new SandboxDir(p).delete();
                    log.info("event=partial_checkpoint_removed dir={}", p);
                } else {
                    ids.add(name);
                }
            }
        } catch (IOException e) {
            throw new EngineException.VmmFailed("listing checkpoints in " + checkpoints + ": " + e.getMessage(), e);
        }
        return ids;
    }

    private SandboxDir existing(String checkpointId) {
        SandboxDir cp = checkpointDir(checkpointId);
        if (!Files.isRegularFile(cp.state())) {
            throw new EngineException.CheckpointNotFound(checkpointId);
        }
        return cp;
    }

    private SandboxDir checkpointDir(String checkpointId) {
        if (!CHECKPOINT_ID.matcher(checkpointId).matches()) {
            throw new EngineException.InvalidSpec("checkpoint id must match " + CHECKPOINT_ID + ", got " + checkpointId);
        }
        return new SandboxDir(checkpoints.resolve(checkpointId));
    }

    /**
     * No persistent volume attached read-write: the device set a restored copy can be given (a read-write volume has one writer, and a rollback would leave it behind
     * the guest's page cache).
     */
    private static void requireCopyable(QemuVm vm) {
        for (QemuCommand.Volume v : vm.config().volumes()) {
            if (!v.readOnly() && !CopyShape.isEphemeral(v, vm.config().dir())) {
                throw new EngineException.CopyUnsupported("sandbox " + vm.id() + " has persistent volume "
                        + CopyShape.volumeName(v) + " attached read-write; a copy cannot share it (attach it read-only, "
                        + "or use an ephemeral volume, which is copied)");
            }
        }
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
