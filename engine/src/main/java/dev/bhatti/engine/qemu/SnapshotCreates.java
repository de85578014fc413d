package dev.bhatti.engine.qemu;

import dev.bhatti.engine.CreateSpec;
import dev.bhatti.engine.CreatedFrom;
import dev.bhatti.engine.EngineException;
import dev.bhatti.engine.FaultPoint;
import dev.bhatti.proto.ExecRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates from image snapshots (decision 0021): builds a shape's snapshot (boot once, warm,
 * snapshot), decides whether a create can restore one, and makes the sandbox from it (a spare clone
 * or a fresh one, then the restore every copy ends in, {@link QemuCopies#restoreAsNew}).
 */
final class SnapshotCreates {
    private static final Logger log = LoggerFactory.getLogger(SnapshotCreates.class);
    /** Whose lease (bridge mode) an image snapshot's build VM holds while it boots. */
    static final String SNAPSHOT_USER = "_image_snapshots";

    /** What the engine lends: how to run a VM of its own, and its copies. */
    record Engine(GuestImages images, Accel accel, String kernelArgs, Path qemu, NetworkMode network, QemuCopies copies) {}

    private final ImageSnapshots snapshots;
    private final Engine engine;
    /** VMs booting to become an image snapshot: {@link #close()} ends them. */
    private final Set<QemuVm> building = ConcurrentHashMap.newKeySet();
    private final SecureRandom random = new SecureRandom();
    private volatile boolean closed;

    /** Execs that warm the agent before an image snapshot is taken, and the time they may take. */
    static final int WARM_EXECS = 250;
    static final java.time.Duration WARM_FOR = java.time.Duration.ofSeconds(12);

    SnapshotCreates(ImageSnapshots snapshots, Engine engine) {
        this.snapshots = snapshots;
        this.engine = engine;
    }

    /** Builds the snapshot of a shape unless it exists, and lays out its spare clone; answers its directory. */
    Path prepare(int cpus, int memoryMb) throws IOException {
        ImageSnapshots.Snapshot built = snapshots.build(cpus, memoryMb, key(), HexFormat.of().formatHex(bytes(16)),
                this::bootAndSnapshot);
        refillInBackground(built);
        return built.dir().path();
    }

    /**
     * What besides the image and shape tells image snapshots apart: the kernel arguments, and the
     * network card's backend (QEMU's user-mode network saves state of its own, so a snapshot
     * taken with it restores only with it; bridge and namespace engines build their own, on a TAP).
     */
    private String key() {
        String devices = engine.accel().freePageReporting() ? " balloon" : "";
        return switch (engine.network()) {
            case BridgeMode b -> engine.kernelArgs() + devices + " net=tap";
            case NetnsMode n -> engine.kernelArgs() + devices + " net=netns";
            case UserMode u -> engine.kernelArgs() + devices;
        };
    }

    /** The image snapshot's VM: booted in {@code dir}, warmed, snapshotted with shared memory, ended. */
    private void bootAndSnapshot(CreateSpec spec, SandboxDir dir, String token) throws IOException {
        Disks.overlay(engine.images(), dir, null);
        Disks.configDrive(spec, token, List.of(), dir);
        VmConfig config = new VmConfig(spec.id(), spec.name(), spec.cpus(), spec.memoryMb(), dir, token, engine.images(),
                engine.accel(), engine.kernelArgs(), engine.qemu(), List.of(), ImageSnapshots.VOLUME_SLOTS);
        QemuVm vm = new QemuVm(config, engine.network().allocate(spec.id(), SNAPSHOT_USER, dir), engine.network());
        building.add(vm);
        try {
            if (closed) {
                throw new EngineException.VmmFailed("the engine is closed", null);
            }
            vm.boot();
            FaultPoint.reach("snapshot.build_booted");
            // Warm what every clone runs first, so the snapshot holds it loaded:
            // IDENTITY (taking its own token again), then execs until lohar's JIT has compiled the path.
            vm.agent().assumeIdentity(Identities.of(spec, token, bytes(64), bytes(16), false, null));
            warmExecPath(vm);
            vm.stop(Snapshots.Mode.SHARED_MEMORY);
            // A bridge-mode clone is reached at the address this guest holds until it takes its own.
            vm.describeCapture(dir);
        } finally {
            building.remove(vm);
            vm.killAndRelease();
        }
    }

    /**
     * Runs {@link #WARM_EXECS} execs (at most {@link #WARM_FOR}) so every clone starts with lohar's
     * exec path compiled: under TCG a fresh agent answers {@code exec true} in ~60 ms and a warm one
     * in ~36 ms, and it takes about 200 execs to get there (decision 0025).
     */
    private static void warmExecPath(QemuVm vm) throws IOException {
        long deadline = System.nanoTime() + WARM_FOR.toNanos();
        for (int i = 0; i < WARM_EXECS && System.nanoTime() < deadline; i++) {
            vm.agent().exec(ExecRequest.of("true"));
            if (i % 20 == 0) {
                vm.agent().stat("/workspace");
            }
        }
    }

    /**
     * The image snapshot a create can restore: volumes that fit its empty slots, the image's own
     * disk size and a snapshot of its shape built (in bridge mode, one that says what address its
     * guest holds); anything else boots (the log says why).
     */
    Optional<ImageSnapshots.Snapshot> find(CreateSpec spec) {
        String why = spec.volumes().size() > ImageSnapshots.VOLUME_SLOTS ? "more than " + ImageSnapshots.VOLUME_SLOTS + " volumes"
                : spec.diskSizeMb() != null ? "a disk size of its own" : null;
        Optional<ImageSnapshots.Snapshot> found = why == null ? snapshots.find(spec.cpus(), spec.memoryMb(), key())
                .filter(s -> !(engine.network() instanceof BridgeMode) || Files.exists(s.dir().sourceNic()))
                : Optional.empty();
        if (found.isEmpty()) {
            log.info("event=create_boots sandbox={} reason=\"{}\"", spec.id(),
                    why != null ? why + " (the image snapshot has no such devices)" : "no image snapshot of "
                            + spec.cpus() + " cpus, " + spec.memoryMb() + " MB");
        }
        return found;
    }

    /** Sandbox {@code spec} in {@code dir} (created, empty) from {@code snapshot}. */
    QemuVm create(CreateSpec spec, String user, SandboxDir dir, ImageSnapshots.Snapshot snapshot) throws IOException {
        long t0 = System.nanoTime();
        Files.delete(dir.path());
        boolean spare = snapshots.takeSpare(snapshot, dir);
        if (!spare) {
            dir.create();
            ImageSnapshots.cloneInto(snapshot, dir);
        }
        refillInBackground(snapshot);
        long cloned = System.nanoTime();
        QemuVm vm = engine.copies().restoreAsNew(spec, user, dir, snapshot.token(), CreatedFrom.SNAPSHOT,
                Disks.volumes(spec, dir), ImageSnapshots.VOLUME_SLOTS, snapshot.dir());
        log.info("event=sandbox_from_snapshot sandbox={} spare={} clone_ms={} restore_and_identity_ms={}",
                spec.id(), spare, (cloned - t0) / 1_000_000, (System.nanoTime() - cloned) / 1_000_000);
        return vm;
    }

    private void refillInBackground(ImageSnapshots.Snapshot snapshot) {
        if (!closed) {
            Thread.ofVirtual().name("spare-clone").start(() -> snapshots.refillSpare(snapshot));
        }
    }

    /** No new build starts; builds under way end their VMs. */
    void close() {
        closed = true;
        for (QemuVm vm : List.copyOf(building)) {
            vm.kill();
        }
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
