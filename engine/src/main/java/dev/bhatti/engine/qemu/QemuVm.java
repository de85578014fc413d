package dev.bhatti.engine.qemu;

import dev.bhatti.client.AgentClient;
import dev.bhatti.engine.EngineException;
import dev.bhatti.engine.GuestText;
import dev.bhatti.engine.StartedFrom;
import dev.bhatti.engine.Thermal;
import dev.bhatti.engine.VmInfo;
import dev.bhatti.engine.VmState;
import dev.bhatti.engine.qemu.qmp.QmpCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sandbox's VM and its thermal state machine. Transitions (pause, resume, stop, start,
 * destroy) are serialized by the VM's lock, which is held across the QMP exchange of that one
 * transition; reads of the state are lock-free. A VMM that exits unasked leaves the VM cold and
 * "died": requests fail with {@link EngineException.VmmDied} until {@link #start} brings it back
 * from its snapshot or by booting it on its disk (decision 0015).
 */
final class QemuVm {
    private static final Logger log = LoggerFactory.getLogger(QemuVm.class);
    static final Duration BOOT_READY = Duration.ofSeconds(120);
    static final Duration RESTORE_READY = Duration.ofSeconds(30);

    /** Replaced only when a VM restored from another VM's snapshot takes its own token. */
    private volatile VmConfig config;
    private final ReentrantLock lock = new ReentrantLock();
    /** Guards handing the VMM over ({@link #shutdownVmm}) against its exit watcher ({@link #died}). */
    private final Object vmmHandle = new Object();
    private volatile Thermal thermal = Thermal.COLD;
    private volatile Optional<String> broken = Optional.empty();
    /** The VMM exited unasked ({@link #broken} says how); only a start brings the VM back. */
    private volatile boolean died;
    private volatile Vmm vmm;
    private final GuestLink link;
    private final NetworkMode network;
    private volatile Nic nic;

    QemuVm(VmConfig config, Nic nic, NetworkMode network) {
        this.config = config;
        this.nic = nic;
        this.network = network;
        this.link = new GuestLink(config.id());
    }

    String id() {
        return config.id();
    }

    VmConfig config() {
        return config;
    }

    /** The running VMM's pid, if there is one. */
    java.util.OptionalLong vmmPid() {
        Vmm v = vmm;
        return v == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(v.pid());
    }

    VmInfo info() {
        return new VmInfo(config.id(), config.name(), thermal, config.cpus(), config.memoryMb(), broken, nic.guestAddress(),
                config.dir().createdFrom());
    }

    VmState state() {
        return new VmState(config.id(), config.name(), config.dir().path(), config.cpus(), config.memoryMb(),
                config.token(), nic.controlPort(), nic.forwardPort(), config.volumes().stream()
                        .map(v -> new VmState.VolumeState(v.image().toString(), v.readOnly())).toList(),
                config.volumeSlots(), broken);
    }

    /** First boot; on failure the VMM is gone and the caller removes the directory. */
    void boot() throws IOException {
        locked(() -> {
            network.beforeLaunch(id(), nic);
            launch(false);
            link.awaitReady(BOOT_READY);
            thermal = Thermal.HOT;
        });
    }

    /**
     * A new sandbox from an image snapshot laid out in its directory: restores it (the agent still
     * holds the snapshot's token), gives the guest its own identity over IDENTITY, and from then on
     * talks to it with the sandbox's own token. On failure the VMM is gone.
     */
    void restoreAsNew(dev.bhatti.proto.IdentityRequest identity) throws IOException {
        locked(() -> {
            restore(false);
            try {
                dev.bhatti.engine.FaultPoint.reach("clone.before_identity");
                fillVolumeSlots(identity.volumes().size());
                link.client().assumeIdentity(identity);
                config = config.withToken(identity.token());
                link.open(nic, config.token());
                if (identity.network() != null) {
                    // Bridge mode: the guest moves to its own address and MAC; the host meets it there.
                    network.identityTaken(id(), nic);
                    link.awaitReady(RESTORE_READY);
                }
            } catch (IOException | RuntimeException e) {
                shutdownVmm();
                throw markBroken("the restored guest did not take its identity: " + e.getMessage() + tails());
            }
        });
    }

    /**
     * This VM is a copy about to be restored from {@code capture}: its network is set up to reach
     * the guest while it still holds its source's address; answers the network IDENTITY must give it.
     */
    Optional<dev.bhatti.proto.IdentityRequest.Network> expectCopyOf(SandboxDir capture) throws IOException {
        return network.expectCopy(id(), nic, capture);
    }

    /**
     * The snapshot's guest saw its volume slots empty (zero-sized): each that now holds a volume is
     * "resized" to the volume's size, which makes QEMU tell the guest its new capacity.
     */
    private void fillVolumeSlots(int filled) throws IOException {
        for (int i = 0; i < filled; i++) {
            vmm.qmp().execute(dev.bhatti.engine.qemu.qmp.QmpCommand.BLOCK_RESIZE, java.util.Map.of(
                    "device", QemuCommand.volumeDrive(i), "size", Files.size(config.volumes().get(i).image())));
        }
    }

    /**
     * A point-in-time copy of this hot or warm VM into {@code into} ({@link Captures}): the guest
     * stands still only for the end of it; a hot VM then runs on, a warm one stays paused.
     */
    long capture(SandboxDir into, boolean memoryDelta) {
        long[] out = {0};
        transition("capture", () -> {
            if (thermal == Thermal.COLD) {
                throw new EngineException.NotHot(id(), thermal);
            }
            requireAlive();
            boolean hot = thermal == Thermal.HOT;
            out[0] = Captures.capture(vmm.qmp(), config.dir(), into, config.token(), hot, memoryDelta);
            describeCapture(into);
            if (hot) {
                link.paused(out[0] * 1_000_000);
                link.resumed();
            }
        });
        return out[0];
    }

    /**
     * Rolls this VM back to a capture of its own ({@code checkpoint}): its VMM ends without a
     * snapshot, its disk and device state become the checkpoint's, and it is restored (hot). Its
     * state file goes first: a crash in between leaves no snapshot, and the next start boots its disk.
     */
    void rollBack(SandboxDir checkpoint) {
        transition("restore", () -> {
            shutdownVmm();
            thermal = Thermal.COLD;
            Files.deleteIfExists(config.dir().state());
            dev.bhatti.engine.FaultPoint.reach("checkpoint.restore_began");
            Captures.cloneInto(checkpoint, config.dir());
            broken = Optional.empty();
            died = false;
            restore(false);
        });
    }

    void pause() {
        transition("pause", () -> {
            requireAlive();
            if (thermal == Thermal.HOT) {
                vmm.qmp().execute(QmpCommand.STOP);
                thermal = Thermal.WARM;
                link.paused(0);
            }
        });
    }

    void resume() {
        transition("resume", () -> {
            requireAlive();
            if (thermal == Thermal.WARM) {
                vmm.qmp().execute(QmpCommand.CONT);
                thermal = Thermal.HOT;
                link.resumed();
            }
        });
    }

    /** → cold with the given snapshot kind; answers the device-state bytes written (0 when already cold). */
    long stop(Snapshots.Mode mode) {
        return stopFrom(EnumSet.of(Thermal.HOT, Thermal.WARM), mode);
    }

    /** → cold only if still warm (decided and done under the lifecycle lock); false when it was not. */
    boolean stopIfWarm() {
        return stopFrom(EnumSet.of(Thermal.WARM), Snapshots.Mode.SHARED_MEMORY) >= 0;
    }

    /** Snapshots and ends the VMM when the state is one of {@code from}; -1 when it was not. */
    private long stopFrom(Set<Thermal> from, Snapshots.Mode mode) {
        long[] bytes = {-1};
        transition("stop", () -> {
            if (thermal == Thermal.COLD && from.contains(Thermal.HOT)) {
                bytes[0] = 0;
                return;
            }
            if (!from.contains(thermal)) {
                return;
            }
            requireAlive();
            bytes[0] = Snapshots.save(vmm.qmp(), config.dir(), mode);
            shutdownVmm();
            thermal = Thermal.COLD;
        });
        return bytes[0];
    }

    StartedFrom start(boolean force) {
        StartedFrom[] from = {StartedFrom.RUNNING};
        transition("start", () -> {
            if (died) {
                shutdownVmm();
                thermal = Thermal.COLD;
            }
            from[0] = toHot(force);
        });
        return from[0];
    }

    /** Under the lock: warm → hot by {@code cont}, cold → hot by {@link #restore}. */
    private StartedFrom toHot(boolean force) throws IOException {
        return switch (thermal) {
            case HOT -> StartedFrom.RUNNING;
            case WARM -> {
                vmm.qmp().execute(QmpCommand.CONT);
                thermal = Thermal.HOT;
                link.resumed();
                yield StartedFrom.RESUMED;
            }
            case COLD -> restore(force);
        };
    }

    /**
     * Cold → hot: from the last snapshot when there is one (it is deleted once restored, so one
     * that exists was written by the last stop and no VMM ran on the disk since), else — after a
     * VMM death or with force — by booting on the disk.
     */
    private StartedFrom restore(boolean force) throws IOException {
        boolean recovering = died;
        if (broken.isPresent() && !force && !recovering) {
            throw new EngineException.SnapshotUnusable(id(), broken.get() + " (start with force to retry)");
        }
        if (!Files.exists(config.dir().state()) || Files.size(config.dir().state()) == 0) {
            if (recovering || force) {
                bootOnDisk(broken.orElse("no snapshot"));
                return StartedFrom.DISK;
            }
            throw markBroken("device state file " + config.dir().state() + " is missing or empty");
        }
        network.beforeLaunch(id(), nic);
        boolean loaded = false;
        try {
            launch(true);
            dev.bhatti.engine.FaultPoint.reach("start.restore_began");
            Snapshots.load(vmm.qmp(), config.dir());
            loaded = true;
            link.awaitReadyAfterRestore(RESTORE_READY);
        } catch (IOException | RuntimeException e) {
            shutdownVmm();
            if (loaded) {
                // The guest ran on the disk after the load: the snapshot no longer matches it.
                Files.deleteIfExists(config.dir().state());
            }
            throw markBroken("restore failed: " + e.getMessage() + tails());
        }
        // The device state is consumed: the running VM moves on from it, so a later recovery must
        // never restore it against newer memory and disk (only a new stop writes a new one).
        Files.deleteIfExists(config.dir().state());
        hotAgain(StartedFrom.SNAPSHOT);
        return StartedFrom.SNAPSHOT;
    }

    /** A fresh boot on the VM's disk (overlay, config drive, volumes): its processes and memory are lost. */
    private void bootOnDisk(String why) throws IOException {
        log.warn("event=sandbox_reboot_on_disk sandbox={} reason=\"{}\"", id(), why.lines().findFirst().orElse(why));
        network.beforeLaunch(id(), nic);
        try {
            launch(false);
            link.awaitReady(BOOT_READY);
        } catch (IOException | RuntimeException e) {
            shutdownVmm();
            throw markBroken("boot on its disk failed: " + e.getMessage() + tails());
        }
        hotAgain(StartedFrom.DISK);
    }

    private void hotAgain(StartedFrom from) {
        broken = Optional.empty();
        died = false;
        thermal = Thermal.HOT;
        link.inStep();
        log.info("event=sandbox_started sandbox={} from={}", id(), from.name().toLowerCase());
    }

    /**
     * Makes the VM hot; a transition in flight (a stop) is waited out first, so the caller never
     * takes an agent that the transition is about to close. A dead VMM is not restarted here.
     */
    void ensureHot() {
        requireNotDied();
        if (thermal != Thermal.HOT || broken.isPresent() || lock.isLocked()) {
            transition("start", () -> {
                requireNotDied();
                toHot(false);
            });
        }
    }

    private void requireNotDied() {
        if (died) {
            throw new EngineException.VmmDied(id(), broken.orElse("its VMM exited unexpectedly"));
        }
    }

    AgentClient agent() {
        requireNotDied();
        Thermal t = thermal;
        if (t != Thermal.HOT) {
            throw new EngineException.NotHot(id(), t);
        }
        broken.ifPresent(b -> {
            throw new EngineException.VmmFailed("sandbox " + id() + " is unusable: " + b, null);
        });
        return link.client();
    }

    /** Ends the VMM (if any) without a snapshot; the directory stays. */
    void kill() {
        lock.lock();
        try {
            shutdownVmm();
            thermal = Thermal.COLD;
        } finally {
            lock.unlock();
        }
    }

    /** Ends the VMM at engine close: host state its network keeps only for a running VM goes too ({@link NetworkMode#vmEnded}). */
    void killAtClose() {
        kill();
        network.vmEnded(id(), nic);
    }

    /** Ends the VMM and gives back its network: an image snapshot's build VM, which has no sandbox to destroy. */
    void killAndRelease() {
        kill();
        network.release(id(), nic);
    }

    /** Writes into {@code capture} (taken of this VM) what a copy needs to reach its guest first ({@link NetworkMode#describeCapture}). */
    void describeCapture(SandboxDir capture) throws IOException {
        network.describeCapture(nic, capture);
    }

    /** Ends the VMM (if any), gives its network back and removes the sandbox directory. */
    void destroy() {
        lock.lock();
        try {
            shutdownVmm();
            thermal = Thermal.COLD;
            dev.bhatti.engine.FaultPoint.reach("destroy.after_vm_stopped");
            network.release(id(), nic);
            config.dir().delete();
        } catch (IOException e) {
            throw new EngineException.VmmFailed("sandbox " + id() + ": removing " + config.dir().path() + ": "
                    + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    private void launch(boolean incoming) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                vmm = Vmm.launch(id(), config.command(nic, incoming), config.qemu(), this::died);
                link.open(nic, config.token());
                return;
            } catch (IOException e) {
                if (attempt >= 3 || !config.dir().tail(config.dir().vmmLog(), 5).contains("host forwarding")) {
                    throw new EngineException.VmmFailed("sandbox " + id() + ": starting QEMU failed: "
                            + e.getMessage() + tails(), e);
                }
                nic = nic.retried();
            }
        }
    }

    /**
     * The VMM exited unasked (called from its exit watcher, without the lock): the VM is cold and
     * unusable at once; its agent's connections are closed, which ends requests waiting on them.
     * A transition holding the lock fails on its own through the lost QMP connection.
     */
    private void died(Vmm dead, String why) {
        String tails = tails();
        synchronized (vmmHandle) {
            // Checked and marked together: a transition that already let go of this VMM (and may
            // have marked the sandbox itself, e.g. a failed restore) is not overwritten afterwards.
            if (vmm != dead) {
                return;
            }
            broken = Optional.of(why + " at " + java.time.Instant.now() + tails);
            died = true;
            thermal = Thermal.COLD;
        }
        log.error("event=sandbox_broken sandbox={} reason=\"{}\"{}", id(), why, tails);
        link.close();
    }

    private void shutdownVmm() {
        link.close();
        Vmm v;
        synchronized (vmmHandle) {
            v = vmm;
            vmm = null;
        }
        if (v != null) {
            if (v.alive()) {
                v.quit();
            } else {
                v.kill();
            }
        }
    }

    private void requireAlive() {
        if (broken.isPresent() || vmm == null || !vmm.alive()) {
            throw new EngineException.VmmFailed("sandbox " + id() + " is unusable: "
                    + broken.orElse("its VMM is not running"), null);
        }
    }

    private EngineException markBroken(String reason) {
        broken = Optional.of(reason);
        died = false;
        log.error("event=sandbox_broken sandbox={} reason=\"{}\"", id(), reason);
        return new EngineException.SnapshotUnusable(id(), reason);
    }

    /**
     * The ends of the VMM's log and of the guest's serial console, escaped onto one line and capped
     * ({@link GuestText}): the guest writes the console, so its text is quoted, never passed on raw.
     */
    private String tails() {
        String vmmTail = config.dir().tail(config.dir().vmmLog(), 10);
        String serialTail = config.dir().tail(config.dir().serialLog(), 10);
        return (vmmTail.isBlank() ? "" : " " + GuestText.field("qemu_log", vmmTail))
                + (serialTail.isBlank() ? "" : " " + GuestText.field("guest_console", serialTail));
    }

    void markBrokenOnImport(String reason) {
        broken = Optional.of(reason);
    }

    @FunctionalInterface
    private interface Step {
        void run() throws IOException;
    }

    private void locked(Step step) throws IOException {
        lock.lock();
        try {
            step.run();
        } finally {
            lock.unlock();
        }
    }

    private void transition(String what, Step step) {
        try {
            locked(step);
        } catch (IOException e) {
            throw new EngineException.VmmFailed("sandbox " + id() + ": " + what + " failed: " + e.getMessage(), e);
        }
    }
}
