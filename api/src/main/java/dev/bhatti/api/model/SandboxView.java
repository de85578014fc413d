package dev.bhatti.api.model;

import dev.bhatti.api.SandboxStatus;
import dev.bhatti.api.ThermalState;
import java.util.Map;

/**
 * A sandbox as {@code GET /sandboxes/:id} answers it; times are RFC 3339 strings. {@code reason}
 * says why a sandbox is {@code failed} or {@code unknown}; {@code startedFrom} is set only in the
 * answer to a start ({@code running}, {@code resumed}, {@code snapshot} or {@code disk});
 * {@code createdFrom} says how its VM was first made ({@code boot}, {@code snapshot}, {@code fork}
 * or {@code checkpoint}; decisions 0021, 0022), absent when the daemon has no VM for it;
 * {@code network} is its egress policy (decision 0024).
 */
public record SandboxView(String id, String name, String status, String thermal, String ip, int cpus, int memoryMb,
                          Integer diskSizeMb, String image, String templateId, boolean keepHot,
                          Map<String, String> labels, String createdAt, String stoppedAt, String reason,
                          String startedFrom, String createdFrom, NetworkPolicy network) {
    public SandboxView {
        labels = labels == null ? Map.of() : labels;
    }

    /** {@link #status} as the enum. */
    public SandboxStatus sandboxStatus() {
        return SandboxStatus.ofWire(status);
    }

    /** {@link #thermal} as the enum. */
    public ThermalState thermalState() {
        return ThermalState.ofWire(thermal);
    }
}
