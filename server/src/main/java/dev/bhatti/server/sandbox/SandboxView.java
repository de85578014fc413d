package dev.bhatti.server.sandbox;

import dev.bhatti.server.store.SandboxRow;
import java.util.Map;

/**
 * The sandbox object of the API (SPEC §4.2); times are RFC 3339 strings. {@code reason} says why a
 * sandbox is {@code failed} or {@code unknown} (absent otherwise).
 */
public record SandboxView(String id, String name, String status, String thermal, String ip, int cpus, int memoryMb,
                          Integer diskSizeMb, String image, String templateId, boolean keepHot,
                          Map<String, String> labels, String createdAt, String stoppedAt, String reason) {

    static SandboxView of(SandboxRow row, String thermal, String ip, String reason) {
        return new SandboxView(row.id(), row.name(), row.status(), thermal, ip, row.cpus(), row.memoryMb(),
                row.diskSizeMb(), row.image(), row.templateId(), row.keepHot(), row.labels(),
                row.createdAt().toString(), row.stoppedAt() == null ? null : row.stoppedAt().toString(), reason);
    }
}
