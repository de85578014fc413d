package dev.bhatti.server.sandbox;

import dev.bhatti.api.ErrorCode;
import dev.bhatti.api.SandboxStatus;
import dev.bhatti.engine.CreateSpec;
import dev.bhatti.engine.Engine;
import dev.bhatti.engine.EngineException;
import dev.bhatti.engine.FaultPoint;
import dev.bhatti.server.api.ApiException;
import dev.bhatti.server.store.SandboxRow;
import dev.bhatti.server.store.Store;
import dev.bhatti.server.store.StoreException;
import dev.bhatti.server.store.TemplateRow;
import dev.bhatti.server.store.User;
import dev.bhatti.server.storage.StorageQuota;
import dev.bhatti.server.volume.Volumes;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /sandboxes}: validates against the user's limits, applies the template, reserves the
 * name and the storage (idempotent: a taken name answers the existing sandbox; disks within the
 * storage quota and the host's free space), attaches volumes, boots the VM, and on any failure undoes
 * every step so nothing is left behind.
 */
public final class Creation {
    /** The shape of a create that names none (and the shape whose image snapshot the daemon builds). */
    public static final int DEFAULT_CPUS = 1;
    public static final int DEFAULT_MEMORY_MB = 512;

    private static final Logger log = LoggerFactory.getLogger(Creation.class);
    /** The config drive every sandbox gets (engine Disks). */
    private static final int CONFIG_DRIVE_MB = 8;

    /** A created sandbox, or the existing one of that name. */
    public record Result(SandboxRow row, boolean existing) {}

    private final Store store;
    private final Engine engine;
    private final SecretEnv secrets;
    private final Volumes volumes;
    private final StorageQuota quota;
    private final Clock clock;
    private final dev.bhatti.server.egress.EgressPolicies egress;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, ReentrantLock> userLocks = new ConcurrentHashMap<>();

    public Creation(Store store, Engine engine, SecretEnv secrets, Volumes volumes, StorageQuota quota, Clock clock) {
        this.store = store;
        this.engine = engine;
        this.secrets = secrets;
        this.volumes = volumes;
        this.quota = quota;
        this.clock = clock;
        this.egress = new dev.bhatti.server.egress.EgressPolicies(store, engine);
    }

    /** The egress policies of sandboxes, templates and checkpoints. */
    public dev.bhatti.server.egress.EgressPolicies egress() {
        return egress;
    }

    Result create(User user, CreateRequest request) {
        TemplateRow template = request.templateId() == null ? null : store.template(user.id(), request.templateId())
                .orElseThrow(() -> new ApiException(ErrorCode.TEMPLATE_NOT_FOUND,
                        "template " + request.templateId() + " not found"));
        Plan plan = Plan.of(user, request, template, this::freshName);
        dev.bhatti.api.model.NetworkPolicy network = dev.bhatti.server.egress.EgressPolicies.normalized(
                request.network() != null ? request.network() : template != null ? egress.of(template.id()) : null);
        quota.requireRootDisk(plan.diskSizeMb());
        var existing = store.sandbox(user.id(), plan.name());
        if (existing.isPresent() && existing.get().id().equals(plan.name())) {
            throw Names.reserved(plan.name());
        }
        existing = existing.filter(r -> r.name().equals(plan.name()));
        if (existing.isPresent()) {
            return new Result(existing.get(), true);
        }
        Map<String, String> env = secrets.env(user, plan.env(), plan.secrets());
        SandboxRow row = reserve(user, plan);
        if (row == null) {
            return new Result(store.sandbox(user.id(), plan.name()).orElseThrow(), true);
        }
        FaultPoint.reach("create.after_reserve");
        try {
            CreateSpec spec = plan.spec(row.id(), env, volumes.specs(user, plan.volumeRequests(), plan.newVolumeRequests(), row.id()));
            FaultPoint.reach("create.after_volume_attached");
            egress.apply(row.id(), network);
            engine.create(spec, user.id());
            FaultPoint.reach("create.after_vm_start");
            SandboxRow running = row.withVmState(vmState(row.id()));
            store.updateSandbox(running);
            log.info("event=sandbox_created sandbox={} name={} user={}", row.id(), row.name(), user.name());
            return new Result(running, false);
        } catch (RuntimeException e) {
            undo(row);
            throw e instanceof EngineException.InvalidSpec bad
                    ? new ApiException(ErrorCode.INVALID_REQUEST, bad.getMessage()) : e;
        }
    }

    /**
     * Checks the count quota, then the storage quota and the host's free space, and inserts the row
     * with its storage under the user's lock; null when the name got taken meanwhile.
     */
    private SandboxRow reserve(User user, Plan plan) {
        ReentrantLock lock = userLocks.computeIfAbsent(user.id(), k -> new ReentrantLock());
        lock.lock();
        try {
            requireCount(user);
            SandboxRow row = new SandboxRow("sb-" + hex(6), user.id(), plan.name(), SandboxStatus.RUNNING.wire(), plan.cpus(),
                    plan.memoryMb(), plan.diskSizeMb(), plan.image(), plan.templateId(), plan.keepHot(),
                    plan.labels(), clock.instant(), null, null);
            long disks = quota.rootDiskMb(plan.diskSizeMb())
                    + plan.newVolumeRequests().stream().mapToLong(Volumes.NewVolumeRequest::sizeMb).sum();
            var need = new StorageQuota.Need("sandbox " + plan.name(), disks, disks + plan.memoryMb() + CONFIG_DRIVE_MB);
            return quota.reserve(user, need, () -> insertWithStorage(row, disks));
        } catch (StoreException.NameConflict e) {
            return null;
        } finally {
            lock.unlock();
        }
    }

    /** Refuses one more sandbox over the user's sandbox count (call under the user's lock). */
    private void requireCount(User user) {
        int count = store.countSandboxes(user.id());
        int max = user.limits().maxSandboxes();
        if (count >= max) {
            throw new ApiException(ErrorCode.QUOTA_EXCEEDED, "sandbox limit reached (" + count + "/" + max + ")");
        }
    }

    private SandboxRow insertWithStorage(SandboxRow row, long storageMb) {
        SandboxRow inserted = store.insertSandbox(row);
        try {
            store.setSandboxStorage(row.id(), storageMb);
        } catch (RuntimeException e) {
            store.deleteSandbox(row.id());
            throw e;
        }
        return inserted;
    }

    /** Removes the VM, its attachments and its row; the caller's failure is what gets reported. */
    void undo(SandboxRow row) {
        try {
            engine.destroy(row.id());
        } catch (RuntimeException e) {
            log.error("event=create_undo_failed sandbox={} step=engine error=\"{}\"", row.id(), e.getMessage());
        }
        store.detachAll(row.id());
        store.deleteSandbox(row.id());
        forgetEgress(row.id());
    }

    private void forgetEgress(String id) {
        egress.forget(id);
        store.deleteEgressLog(id);
    }

    /**
     * Reserves a sandbox made as a copy of {@code source} (a fork child, or a sandbox from its
     * checkpoint): its shape, image and labels, counted like a create against the sandbox count
     * and the storage quota.
     */
    SandboxRow reserveCopy(User user, SandboxRow source, String name) {
        ReentrantLock lock = userLocks.computeIfAbsent(user.id(), k -> new ReentrantLock());
        lock.lock();
        try {
            requireCount(user);
            SandboxRow row = new SandboxRow("sb-" + hex(6), user.id(), name, SandboxStatus.RUNNING.wire(), source.cpus(),
                    source.memoryMb(), source.diskSizeMb(), source.image(), source.templateId(), false, source.labels(),
                    clock.instant(), null, null);
            long disks = copiedStorageMb(source);
            var need = new StorageQuota.Need("sandbox " + name, disks, disks + source.memoryMb() + CONFIG_DRIVE_MB);
            SandboxRow reserved = quota.reserve(user, need, () -> insertWithStorage(row, disks));
            try {
                volumes.shareReadOnly(user, source.id(), reserved.id());
                egress.apply(reserved.id(), egress.of(source.id()));
            } catch (RuntimeException e) {
                undo(reserved);
                throw e;
            }
            return reserved;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Refuses a checkpoint the user's storage quota or the host's disk has no room for: it can take
     * up to the sandbox's memory and root disk (it is counted with its real size once written).
     */
    void requireCheckpointRoom(User user, SandboxRow row) {
        long mb = row.memoryMb() + copiedStorageMb(row);
        quota.reserve(user, new StorageQuota.Need("a checkpoint of sandbox " + row.name(), mb, mb), () -> null);
    }

    /** What a copy of {@code source} holds on disk: its root disk and its ephemeral volumes (copied with it). */
    private long copiedStorageMb(SandboxRow source) {
        return Math.max(quota.rootDiskMb(source.diskSizeMb()), store.sandboxStorageMb(source.id()));
    }

    /** Destroys the VM, its checkpoints' files, and forgets the sandbox (attachments, publish rules and checkpoint rows go with the row). */
    void destroy(SandboxRow row) {
        engine.destroy(row.id());
        store.checkpoints(row.userId(), row.id()).forEach(cp -> engine.deleteCheckpoint(cp.id()));
        store.detachAll(row.id());
        store.deleteSandbox(row.id());
        forgetEgress(row.id());
    }

    private String vmState(String id) {
        return VmStateJson.of(engine, id);
    }

    /** A generated sandbox name, {@code sandbox-<6 hex>}, as a create without a name gets. */
    public String freshName() {
        return "sandbox-" + hex(3);
    }

    private String hex(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
