package dev.bhatti.engine.qemu;

import dev.bhatti.client.AgentClient;
import dev.bhatti.engine.CreateSpec;
import dev.bhatti.engine.Engine;
import dev.bhatti.engine.EngineException;
import dev.bhatti.engine.VmInfo;
import dev.bhatti.engine.VmState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine on QEMU {@code microvm} (DESIGN.md "The VM engine"): per sandbox a directory under
 * {@code <data>/sandboxes/}, a qcow2 overlay on the shared base image, a config drive, guest memory
 * in a file, networking by its {@link NetworkMode} (user-mode with the agent on loopback ports by
 * default, or bridge mode with the agent on the guest's address), and QMP for pause, resume,
 * snapshot and restore.
 */
public final class QemuEngine implements Engine {
    private static final Logger log = LoggerFactory.getLogger(QemuEngine.class);
    private static final Path QEMU = Path.of("/usr/bin/qemu-system-x86_64");
    /** Kernel argument that makes the guest init grow the root filesystem to its disk (images/rootfs/bhatti-init). */
    static final String GROW_ROOT = "bhatti.grow_root";

    private final Path sandboxes;
    private final GuestImages images;
    private final Accel accel;
    private final String kernelArgs;
    private final NetworkMode network;
    private final Map<String, QemuVm> vms = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final QemuCopies copies;
    private final SnapshotCreates snapshotCreates;
    private volatile boolean closed;

    /** Bridge mode: sandboxes created without a user go on this user's bridge. */
    public static final String DEFAULT_USER = "default";

    public QemuEngine(Path dataDir, GuestImages images) {
        this(dataDir, images, NetworkMode.user());
    }

    public QemuEngine(Path dataDir, GuestImages images, NetworkMode network) {
        this(dataDir, images, network, Accel.detect());
    }

    /** An engine on a given accelerator (a benchmark compares TCG translation buffer sizes). */
    public QemuEngine(Path dataDir, GuestImages images, NetworkMode network, Accel accel) {
        this.network = network;
        this.sandboxes = dataDir.resolve("sandboxes");
        this.images = images;
        this.accel = accel;
        this.kernelArgs = QemuCommand.kernelArgs(HostTsc.khz());
        this.copies = new QemuCopies(dataDir, new CopyHost());
        this.snapshotCreates = new SnapshotCreates(new ImageSnapshots(dataDir, images),
                new SnapshotCreates.Engine(images, accel, kernelArgs, QEMU, network, copies));
        log.info("event=engine_ready accel={} images={} kernel_args=\"{}\"", accel, images.rootfs().getParent(), kernelArgs);
    }

    public Accel accel() {
        return accel;
    }

    /** The guest kernel's command line every VM of this engine boots with (before per-sandbox additions). */
    public String kernelArgs() {
        return kernelArgs;
    }

    @Override
    public VmInfo create(CreateSpec spec) {
        return create(spec, DEFAULT_USER);
    }

    /** Like {@link #create(CreateSpec)}; in bridge mode the VM joins {@code user}'s bridge and subnet. */
    @Override
    public VmInfo create(CreateSpec spec, String user) {
        SandboxDir dir = new SandboxDir(sandboxes.resolve(spec.id()));
        if (vms.containsKey(spec.id()) || Files.exists(dir.path())) {
            throw new EngineException.InvalidSpec("sandbox " + spec.id() + " already exists");
        }
        QemuVm vm = null;
        try {
            Disks.checkRootSize(images, spec.diskSizeMb());
            dir.create();
            long started = System.nanoTime();
            Optional<ImageSnapshots.Snapshot> snapshot = snapshotCreates.find(spec);
            if (snapshot.isPresent()) {
                vm = snapshotCreates.create(spec, user, dir, snapshot.get());
            } else {
                VmConfig config = prepare(spec, dir);
                vm = new QemuVm(config, network.allocate(spec.id(), user, dir), network);
                vms.put(spec.id(), vm);
                vm.boot();
            }
            log.info("event=sandbox_created sandbox={} cpus={} memory_mb={} from={} ms={}", spec.id(), spec.cpus(),
                    spec.memoryMb(), snapshot.isPresent() ? "snapshot" : "boot", (System.nanoTime() - started) / 1_000_000);
            return vm.info();
        } catch (IOException | RuntimeException e) {
            undoCreate(spec.id(), vm, dir);
            throw e instanceof EngineException ee ? ee
                    : new EngineException.VmmFailed("creating sandbox " + spec.id() + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Builds the image snapshot of a shape (boot once, wait for the agent, snapshot), unless it
     * exists; later creates of that shape restore it instead of booting. Answers its directory.
     */
    public Path prepareImageSnapshot(int cpus, int memoryMb) throws IOException {
        return snapshotCreates.prepare(cpus, memoryMb);
    }

    private VmConfig prepare(CreateSpec spec, SandboxDir dir) throws IOException {
        Disks.overlay(images, dir, spec.diskSizeMb());
        List<QemuCommand.Volume> volumes = Disks.volumes(spec, dir);
        String token = HexFormat.of().formatHex(bytes(16));
        Disks.configDrive(spec, token, volumes, dir);
        String args = spec.diskSizeMb() == null ? kernelArgs : kernelArgs + " " + GROW_ROOT;
        return new VmConfig(spec.id(), spec.name(), spec.cpus(), spec.memoryMb(), dir, token, images, accel, args,
                QEMU, volumes, 0);
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private void undoCreate(String id, QemuVm vm, SandboxDir dir) {
        QemuVm registered = vms.remove(id);
        QemuVm target = vm != null ? vm : registered;
        try {
            if (target != null) {
                target.destroy();
            } else {
                dir.delete();
            }
        } catch (RuntimeException | IOException cleanup) {
            log.error("event=create_cleanup_failed sandbox={} error=\"{}\"", id, cleanup.getMessage());
        }
    }

    private QemuVm vm(String id) {
        QemuVm vm = vms.get(id);
        if (vm == null) {
            throw new EngineException.NotFound(id);
        }
        return vm;
    }

    @Override
    public Forked fork(String parentId, List<Child> children, String owner) {
        return copies.fork(parentId, children, owner);
    }

    @Override
    public Checkpointed checkpoint(String id, String checkpointId) {
        return copies.checkpoint(id, checkpointId);
    }

    @Override
    public void restoreCheckpoint(String id, String checkpointId) {
        copies.restoreCheckpoint(id, checkpointId);
    }

    @Override
    public VmInfo createFromCheckpoint(String checkpointId, Child child, String owner) {
        return copies.createFromCheckpoint(checkpointId, child, owner);
    }

    @Override
    public void deleteCheckpoint(String checkpointId) {
        copies.deleteCheckpoint(checkpointId);
    }

    @Override
    public List<String> checkpoints() {
        return copies.checkpoints();
    }

    @Override
    public dev.bhatti.engine.HostUsage hostUsage(String id) {
        QemuVm vm = vm(id);
        return HostUsageProbe.of(vm.vmmPid(), vm.config().dir().path());
    }

    /** The pids of these sandboxes' running VMMs (benchmarks read their memory). */
    public List<Long> vmmPids(List<String> ids) {
        return ids.stream().map(this::vm).map(QemuVm::vmmPid).filter(java.util.OptionalLong::isPresent)
                .map(java.util.OptionalLong::getAsLong).toList();
    }

    /** What {@link QemuCopies} makes its VMs with. */
    private final class CopyHost implements QemuCopies.Host {
        @Override
        public QemuVm vm(String id) {
            return QemuEngine.this.vm(id);
        }

        @Override
        public QemuVm register(CreateSpec spec, String owner, SandboxDir dir, String heldToken,
                               List<QemuCommand.Volume> volumes, int volumeSlots) {
            if (closed) {
                throw new EngineException.VmmFailed("the engine is closed", null);
            }
            VmConfig config = new VmConfig(spec.id(), spec.name(), spec.cpus(), spec.memoryMb(), dir, heldToken, images,
                    accel, kernelArgs, QEMU, volumes, volumeSlots);
            QemuVm vm = new QemuVm(config, network.allocate(spec.id(), owner, dir), network);
            if (vms.putIfAbsent(spec.id(), vm) != null) {
                throw new EngineException.InvalidSpec("sandbox " + spec.id() + " already exists");
            }
            return vm;
        }

        @Override
        public SandboxDir sandboxDir(String id) {
            return new SandboxDir(sandboxes.resolve(CreateSpec.requireId(id)));
        }

        @Override
        public void discard(String id, QemuVm vm, SandboxDir dir) {
            undoCreate(id, vm, dir);
        }
    }

    @Override
    public void destroy(String id) {
        QemuVm vm = vms.remove(id);
        if (vm != null) {
            vm.destroy();
            log.info("event=sandbox_destroyed sandbox={}", id);
        }
    }

    @Override
    public void pause(String id) {
        vm(id).pause();
    }

    @Override
    public void resume(String id) {
        vm(id).resume();
    }

    @Override
    public void stop(String id) {
        stop(id, false);
    }

    /** Like {@link #stop(String)}; {@code fullMemory} migrates RAM too. Answers the snapshot bytes written. */
    public long stop(String id, boolean fullMemory) {
        return vm(id).stop(fullMemory ? Snapshots.Mode.FULL : Snapshots.Mode.SHARED_MEMORY);
    }

    @Override
    public boolean stopIfWarm(String id) {
        return vm(id).stopIfWarm();
    }

    @Override
    public dev.bhatti.engine.StartedFrom start(String id, boolean force) {
        return vm(id).start(force);
    }

    @Override
    public void ensureHot(String id) {
        vm(id).ensureHot();
    }

    @Override
    public VmInfo status(String id) {
        return vm(id).info();
    }

    @Override
    public List<VmInfo> list() {
        return vms.values().stream().map(QemuVm::info).sorted(Comparator.comparing(VmInfo::id)).toList();
    }

    @Override
    public AgentClient agent(String id) {
        return vm(id).agent();
    }

    @Override
    public VmState exportState(String id) {
        return vm(id).state();
    }

    /**
     * Registers a sandbox from stored state as cold. Without a complete snapshot (device state
     * present and non-empty, memory file present) it is registered broken, so starts fail fast.
     */
    @Override
    public VmInfo importState(VmState state) {
        SandboxDir dir = new SandboxDir(state.dir());
        List<QemuCommand.Volume> volumes = state.volumes().stream()
                .map(v -> new QemuCommand.Volume(Path.of(v.image()), v.readOnly())).toList();
        VmConfig config = new VmConfig(state.id(), state.name(), state.cpus(), state.memoryMb(), dir, state.token(),
                images, accel, kernelArgs, QEMU, volumes, state.volumeSlots());
        QemuVm vm = new QemuVm(config, network.recover(state.id(), dir, new Ports(state.controlPort(), state.forwardPort())),
                network);
        snapshotProblem(dir).or(state::broken).ifPresent(vm::markBrokenOnImport);
        if (vms.putIfAbsent(state.id(), vm) != null) {
            throw new EngineException.InvalidSpec("sandbox " + state.id() + " is already registered");
        }
        return vm.info();
    }

    @Override
    public boolean snapshotOrphan(VmState state) {
        if (vms.containsKey(state.id())) {
            return false;
        }
        try {
            return OrphanVmm.snapshotAndEnd(state.id(), new SandboxDir(state.dir()));
        } catch (IOException | RuntimeException e) {
            throw new EngineException.VmmFailed("sandbox " + state.id() + ": snapshot of the VMM left by an earlier "
                    + "daemon failed: " + e.getMessage(), e);
        }
    }

    private static java.util.Optional<String> snapshotProblem(SandboxDir dir) {
        try {
            if (!Files.exists(dir.state()) || Files.size(dir.state()) == 0) {
                return java.util.Optional.of("device state file " + dir.state() + " is missing or empty");
            }
            if (!Files.exists(dir.memory()) || !Files.exists(dir.overlay())) {
                return java.util.Optional.of("memory file or root overlay missing in " + dir.path());
            }
            return java.util.Optional.empty();
        } catch (IOException e) {
            return java.util.Optional.of("cannot inspect " + dir.path() + ": " + e.getMessage());
        }
    }

    @Override
    public void egress(String id, dev.bhatti.engine.net.EgressPolicy policy) {
        network.egress(id, policy);
    }

    @Override
    public void egressEvents(java.util.function.Consumer<dev.bhatti.engine.net.EgressAudit.Event> sink) {
        network.egressEvents(sink);
    }

    @Override
    public List<String> removeOrphanNetworkDevices() {
        List<String> removed = network.removeOrphans(Set.copyOf(vms.keySet()));
        removed.forEach(d -> log.info("event=orphan_network_device_removed device={}", d));
        return removed;
    }

    /** Ends every VMM this engine runs, without snapshots; sandbox directories stay (tests, abrupt shutdown). */
    @Override
    public void close() {
        closed = true;
        snapshotCreates.close();
        for (QemuVm vm : List.copyOf(vms.values())) {
            try {
                vm.killAtClose();
            } catch (RuntimeException e) {
                log.error("event=close_kill_failed sandbox={} error=\"{}\"", vm.id(), e.getMessage());
            }
        }
        vms.clear();
        network.close();
    }
}
