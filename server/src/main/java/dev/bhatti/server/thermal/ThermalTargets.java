package dev.bhatti.server.thermal;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** What the daemon tells the thermal manager, and how the manager reports back to the store. */
public interface ThermalTargets {

    /** A sandbox to look after; {@code keepHot} ones are never paused or snapshotted, and are woken. */
    record Target(String id, boolean keepHot) {
        public Target {
            Objects.requireNonNull(id, "id");
            if (id.isBlank()) {
                throw new IllegalArgumentException("thermal target id must not be blank");
            }
        }
    }

    /** The sandboxes to manage this cycle (live ones: not destroyed, not being created). */
    List<Target> targets();

    /** Transitions failed several times in a row; the store's status becomes {@code unknown}. */
    void markUnknown(String id, String reason);

    /** A sandbox marked unknown transitioned successfully again; the store's status becomes {@code running}. */
    void markRunning(String id);

    /** The sandbox was snapshotted to disk at {@code at}; the daemon stores its VM state. */
    void recordCold(String id, Instant at);
}
