package dev.bhatti.server.storage;

import dev.bhatti.api.ErrorCode;
import dev.bhatti.server.api.ApiException;
import dev.bhatti.server.config.ServerConfig;
import dev.bhatti.server.store.Store;
import dev.bhatti.server.store.User;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Disk limits checked before anything is created (decision 0016): the per-sandbox maximum root
 * disk (400 {@code disk_too_large}), the user's one storage quota over root disks and volumes
 * (429 {@code storage_quota_exceeded}) and the free space of the data dir's filesystem
 * (507 {@code host_disk_full}). A check and the insert that records its storage run under the
 * user's lock, so concurrent creates of one user cannot both pass the quota.
 */
public final class StorageQuota {
    private static final long MIB = 1 << 20;

    /**
     * What a create asks for.
     *
     * @param what    the resource, for messages ("sandbox web", "volume cache")
     * @param quotaMb counted against the user's storage quota: disks
     * @param hostMb  needed from the host's free space: disks, plus the memory file for a sandbox
     */
    public record Need(String what, long quotaMb, long hostMb) {}

    private final Store store;
    private final FreeSpace space;
    private final ServerConfig.Disk disk;
    private final long imageMb;
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    /** {@code imageMb}: the root image's size, what a sandbox without {@code disk_size_mb} counts. */
    public StorageQuota(Store store, FreeSpace space, ServerConfig.Disk disk, long imageMb) {
        this.store = Objects.requireNonNull(store, "store");
        this.space = Objects.requireNonNull(space, "free space");
        this.disk = Objects.requireNonNull(disk, "disk limits");
        this.imageMb = imageMb;
    }

    /** Refuses a requested root disk over {@code max_root_disk_mb}. */
    public void requireRootDisk(Integer requestedMb) {
        if (requestedMb != null && requestedMb > disk.maxRootDiskMb()) {
            throw new ApiException(ErrorCode.DISK_TOO_LARGE, "disk_size_mb " + requestedMb
                    + " is over the per-sandbox maximum of " + disk.maxRootDiskMb() + " MiB (max_root_disk_mb)");
        }
    }

    /** The root disk a sandbox counts: its requested size, else the image's. */
    public long rootDiskMb(Integer requestedMb) {
        return requestedMb != null ? requestedMb : imageMb;
    }

    /** The user's storage in use, MiB. */
    public long usedMb(User user) {
        return store.storageUsedMb(user.id());
    }

    /** Checks the user's quota and the host's free space, then runs {@code create}, all under the user's lock. */
    public <T> T reserve(User user, Need need, Supplier<T> create) {
        ReentrantLock lock = locks.computeIfAbsent(user.id(), k -> new ReentrantLock());
        lock.lock();
        try {
            requireQuota(user, need);
            requireHostSpace(need);
            return create.get();
        } finally {
            lock.unlock();
        }
    }

    private void requireQuota(User user, Need need) {
        long used = usedMb(user);
        long max = user.limits().maxStorageMb();
        if (used + need.quotaMb() > max) {
            throw new ApiException(ErrorCode.STORAGE_QUOTA_EXCEEDED, "storage quota exceeded: " + used
                    + " MiB in use (root disks and volumes) + " + need.quotaMb() + " MiB for " + need.what() + " > "
                    + max + " MiB");
        }
    }

    private void requireHostSpace(Need need) {
        long freeMb = space.usableBytes() / MIB;
        long reserveMb = Math.max(disk.reserveMb(), space.totalBytes() / MIB * disk.reservePercent() / 100);
        if (freeMb - need.hostMb() < reserveMb) {
            throw new ApiException(ErrorCode.HOST_DISK_FULL, "not enough free disk on the host for "
                    + need.what() + ": it needs up to " + need.hostMb() + " MiB, " + freeMb
                    + " MiB are free on the data dir's filesystem and " + reserveMb + " MiB must stay free");
        }
    }
}
