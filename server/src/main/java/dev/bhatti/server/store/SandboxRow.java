package dev.bhatti.server.store;

import dev.bhatti.api.SandboxStatus;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A sandbox as stored. {@code status} is one of {@code running}, {@code stopped}, {@code unknown},
 * {@code destroyed}, {@code failed}; {@code vmState} is the engine's VM state as JSON text, or null when none was
 * recorded yet. Optional columns ({@code diskSizeMb}, {@code image}, {@code templateId},
 * {@code stoppedAt}) are null when absent.
 */
public record SandboxRow(String id, String userId, String name, String status, int cpus, int memoryMb,
                         Integer diskSizeMb, String image, String templateId, boolean keepHot,
                         Map<String, String> labels, Instant createdAt, Instant stoppedAt, String vmState) {

    /** The statuses a row may have: the wire forms of {@link SandboxStatus}. */
    public static final Set<String> STATUSES =
            Arrays.stream(SandboxStatus.values()).map(SandboxStatus::wire).collect(Collectors.toUnmodifiableSet());

    public SandboxRow {
        Check.text(id, "sandbox id");
        Check.text(userId, "user id");
        Check.text(name, "sandbox name");
        Objects.requireNonNull(status, "status is required");
        if (!STATUSES.contains(status)) {
            throw new IllegalArgumentException("status must be one of " + STATUSES + ", got " + status);
        }
        Check.positive(cpus, "cpus");
        Check.positive(memoryMb, "memory_mb");
        if (diskSizeMb != null) {
            Check.positive(diskSizeMb, "disk_size_mb");
        }
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        Objects.requireNonNull(createdAt, "created_at is required");
    }

    /** The status column as the API's status. */
    public SandboxStatus state() {
        return SandboxStatus.ofWire(status);
    }

    public SandboxRow withStatus(SandboxStatus newStatus) {
        return withStatus(newStatus.wire());
    }

    public SandboxRow withStatus(String newStatus) {
        return new SandboxRow(id, userId, name, newStatus, cpus, memoryMb, diskSizeMb, image, templateId, keepHot,
                labels, createdAt, stoppedAt, vmState);
    }

    public SandboxRow withName(String newName) {
        return new SandboxRow(id, userId, newName, status, cpus, memoryMb, diskSizeMb, image, templateId, keepHot,
                labels, createdAt, stoppedAt, vmState);
    }

    public SandboxRow withKeepHot(boolean newKeepHot) {
        return new SandboxRow(id, userId, name, status, cpus, memoryMb, diskSizeMb, image, templateId, newKeepHot,
                labels, createdAt, stoppedAt, vmState);
    }

    public SandboxRow withLabels(Map<String, String> newLabels) {
        return new SandboxRow(id, userId, name, status, cpus, memoryMb, diskSizeMb, image, templateId, keepHot,
                newLabels, createdAt, stoppedAt, vmState);
    }

    public SandboxRow withVmState(String newVmState) {
        return new SandboxRow(id, userId, name, status, cpus, memoryMb, diskSizeMb, image, templateId, keepHot,
                labels, createdAt, stoppedAt, newVmState);
    }

    public SandboxRow withStoppedAt(Instant newStoppedAt) {
        return new SandboxRow(id, userId, name, status, cpus, memoryMb, diskSizeMb, image, templateId, keepHot,
                labels, createdAt, newStoppedAt, vmState);
    }

    /** True unless the sandbox is destroyed. */
    public boolean live() {
        return state() != SandboxStatus.DESTROYED;
    }
}
