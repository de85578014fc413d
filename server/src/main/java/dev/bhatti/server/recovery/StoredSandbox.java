package dev.bhatti.server.recovery;

import dev.bhatti.api.SandboxStatus;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A sandbox as the store remembers it at daemon start.
 *
 * @param id          sandbox id
 * @param status      {@code running}, {@code stopped}, {@code unknown}, {@code failed} or {@code destroyed}
 * @param vmStateJson the engine's exported VM state as JSON ({@code VmState.toMap}), null when none was stored
 */
public record StoredSandbox(String id, String status, String vmStateJson) {
    /** The statuses the store knows. */
    public static final Set<String> STATUSES =
            Arrays.stream(SandboxStatus.values()).map(SandboxStatus::wire).collect(Collectors.toUnmodifiableSet());

    /** The status as the API's status. */
    public SandboxStatus state() {
        return SandboxStatus.ofWire(status);
    }

    public StoredSandbox {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(status, "status");
        if (id.isBlank()) {
            throw new IllegalArgumentException("stored sandbox id must not be blank");
        }
        if (!STATUSES.contains(status)) {
            throw new IllegalArgumentException("stored sandbox " + id + " has status " + status + ", expected one of "
                    + STATUSES);
        }
    }
}
