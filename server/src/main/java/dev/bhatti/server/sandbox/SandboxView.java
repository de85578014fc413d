package dev.bhatti.server.sandbox;

import dev.bhatti.api.SandboxStatus;
import dev.bhatti.api.ThermalState;
import dev.bhatti.engine.Thermal;
import dev.bhatti.server.store.SandboxRow;
import java.util.Map;

/**
 * The sandbox object of the API; times are RFC 3339 strings. {@code status} is {@code failed}
 * while a running sandbox's VM is unusable (its VMM died, its restore failed) or when its create
 * was interrupted (decision 0014), and {@code unknown} when recovery could not tell; {@code reason}
 * says why (absent otherwise); {@code startedFrom} is set only in the answer to a start
 * ({@code running}, {@code resumed}, {@code snapshot} or {@code disk}, decision 0015); {@code createdFrom}
 * is how its VM was first made ({@code boot} or {@code snapshot}, decision 0021), absent without a VM;
 * {@code network} is its egress policy (decision 0024).
 */
public record SandboxView(String id, String name, String status, String thermal, String ip, int cpus, int memoryMb,
                          Integer diskSizeMb, String image, String templateId, boolean keepHot,
                          Map<String, String> labels, String createdAt, String stoppedAt, String reason,
                          String startedFrom, String createdFrom, dev.bhatti.api.model.NetworkPolicy network) {

    static SandboxView of(SandboxRow row, ThermalState thermal, String ip, String reason, String createdFrom,
                           dev.bhatti.api.model.NetworkPolicy network) {
        SandboxStatus status = reason != null && row.state() == SandboxStatus.RUNNING ? SandboxStatus.FAILED : row.state();
        return new SandboxView(row.id(), row.name(), status.wire(), thermal.wire(), ip, row.cpus(), row.memoryMb(),
                row.diskSizeMb(), row.image(), row.templateId(), row.keepHot(), row.labels(),
                row.createdAt().toString(), row.stoppedAt() == null ? null : row.stoppedAt().toString(), reason, null, createdFrom, network);
    }

    /** The engine's thermal state as the API shows it. */
    static ThermalState thermal(Thermal t) {
        return switch (t) {
            case HOT -> ThermalState.HOT;
            case WARM -> ThermalState.WARM;
            case COLD -> ThermalState.COLD;
        };
    }

    SandboxView startedFrom(String from) {
        return new SandboxView(id, name, status, thermal, ip, cpus, memoryMb, diskSizeMb, image, templateId, keepHot,
                labels, createdAt, stoppedAt, reason, from, createdFrom, network);
    }
}
