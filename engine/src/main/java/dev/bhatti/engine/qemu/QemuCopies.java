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
        QemuVm register(CreateSpec spec, String owner, SandboxDir dir, String heldToken);

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
    QemuVm restoreAsNew(CreateSpec spec, String owner, SandboxDir dir, String heldToken, CreatedFrom from)
            throws IOException {
        dir.recordCreatedFrom(from);
        String token = HexFormat.of().formatHex(bytes(16));
        Disks.configDrive(spec, token, List.of(), dir);
        QemuVm vm = host.register(spec, owner, dir, heldToken);
        vm.restoreAsNew(Identities.of(spec, token, bytes(64), bytes(16)));
        return vm;
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
            long pausedMs = parent.capture(dirs.getFirst());
            FaultPoint.reach("fork.after_capture");
            String held = Captures.token(dirs.getFirst());
            for (SandboxDir dir : dirs.subList(1, dirs.size())) {
                Captures.cloneInto(dirs.getFirst(), dir);
            }
            long laidOut = System.nanoTime();
            VmConfig shape = parent.config();
            Map<String, String> env = Disks.env(shape.dir());
            made.addAll(restoreAll(children, dirs, c -> new CreateSpec(c.id(), c.name(), shape.cpus(), shape.memoryMb(),
                    null, env, null, Map.of(), List.of()), owner, held, CreatedFrom.FORK));
            for (SandboxDir dir : dirs) {
                Files.deleteIfExists(dir.path().resolve(Captures.TOKEN_FILE));
            }
            log.info("event=sandbox_forked parent={} children={} paused_ms={} capture_ms={} restore_ms={}",
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

    /** Restores every laid-out child at once; all or none (the caller discards them on failure). */
    private List<QemuVm> restoreAll(List<Copies.Child> children, List<SandboxDir> dirs,
                                    java.util.function.Function<Copies.Child, CreateSpec> spec, String owner, String held,
                                    CreatedFrom from) throws IOException {
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<QemuVm>> futures = new ArrayList<>();
            for (int i = 0; i < children.size(); i++) {
                Copies.Child c = children.get(i);
                SandboxDir dir = dirs.get(i);
                futures.add(pool.submit(() -> restoreAsNew(spec.apply(c), owner, dir, held, from)));
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
            long pausedMs = vm.capture(partial);
            OwnerOnly.write(partial.path().resolve(SHAPE_FILE), (vm.config().cpus() + " " + vm.config().memoryMb())
                    .getBytes(StandardCharsets.US_ASCII));
            // The config drive keeps the env the sandbox was made with: a sandbox made from the checkpoint gets it.
            Files.copy(vm.config().dir().configDrive(), partial.configDrive());
            FaultPoint.reach("checkpoint.before_rename");
            Files.move(partial.path(), checkpointDir(checkpointId).path(), StandardCopyOption.ATOMIC_MOVE);
            long size = Captures.size(checkpointDir(checkpointId));
            log.info("event=checkpoint_written sandbox={} checkpoint={} bytes={} paused_ms={}", id, checkpointId, size,
                    pausedMs);
            return new Copies.Checkpointed(checkpointId, size, pausedMs);
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
            String[] shape = Files.readString(cp.path().resolve(SHAPE_FILE)).strip().split(" ");
            dir.create();
            Captures.cloneInto(cp, dir);
            CreateSpec spec = new CreateSpec(child.id(), child.name(), Integer.parseInt(shape[0]), Integer.parseInt(shape[1]),
                    null, Disks.env(cp), null, Map.of(), List.of());
            vm = restoreAsNew(spec, owner, dir, Captures.token(cp), CreatedFrom.CHECKPOINT);
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

    /** User-mode networking and no volumes: the device set a restored copy can be given. */
    private static void requireCopyable(QemuVm vm) {
        if (!vm.config().volumes().isEmpty()) {
            throw new EngineException.CopyUnsupported("sandbox " + vm.id() + " has volumes attached; a copy cannot "
                    + "share them (detach them, or create the copy without)");
        }
        if (!vm.userModeNetwork()) {
            throw new EngineException.CopyUnsupported("sandbox " + vm.id() + " runs in bridge networking; forks and "
                    + "checkpoints need user-mode networking (decision 0022)");
        }
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
