package dev.bhatti.agent.exec;

import dev.bhatti.agent.posix.GuestSystem;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writable volumes mounted in this guest, which an exec's EXIT waits for: their data outlives
 * the sandbox (a volume goes on to another sandbox after a destroy), so what an exec wrote there
 * is on the volume's image when EXIT arrives, as with the {@code sync(2)} before EXIT this replaces.
 * The root disk gets no such wait (decision 0025): it lives and dies with the sandbox and a snapshot
 * holds the page cache; a VMM that dies may lose its last seconds of writes nobody synced.
 */
public final class VolumeSync {
    private static final Logger log = LoggerFactory.getLogger(VolumeSync.class);
    private static final Set<String> WRITABLE = ConcurrentHashMap.newKeySet();

    private VolumeSync() {}

    /** A writable volume was mounted at {@code mountPoint}. */
    public static void mounted(String mountPoint) {
        WRITABLE.add(mountPoint);
    }

    /** Writes out and flushes every writable volume; none mounted, nothing to do. */
    static void syncVolumes() {
        for (String mount : WRITABLE) {
            try {
                GuestSystem.syncFilesystem(mount);
            } catch (IOException e) {
                log.warn("event=volume_sync_failed mount={} error=\"{}\"", mount, e.getMessage());
            }
        }
    }
}
