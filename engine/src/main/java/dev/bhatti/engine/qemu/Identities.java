package dev.bhatti.engine.qemu;

import dev.bhatti.engine.CreateSpec;
import dev.bhatti.proto.IdentityRequest;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The IDENTITY a VM restored from a snapshot is given: what its config drive would have said, and fresh randomness. */
final class Identities {
    private Identities() {}

    /**
     * With {@code mountVolumes} the spec's volumes go into IDENTITY (a VM from an image snapshot
     * has them in empty slots); a copy of a running sandbox has its volumes mounted already.
     */
    static IdentityRequest of(CreateSpec spec, String token, byte[] entropy, byte[] machineId, boolean mountVolumes,
                              IdentityRequest.Network network) {
        Map<String, IdentityRequest.File> files = new LinkedHashMap<>();
        spec.files().forEach((path, f) -> files.put(path, new IdentityRequest.File(
                Base64.getEncoder().encodeToString(f.content()), f.mode() == null ? "0644" : f.mode())));
        List<IdentityRequest.Volume> volumes = new java.util.ArrayList<>();
        for (int i = 0; mountVolumes && i < spec.volumes().size(); i++) {
            CreateSpec.VolumeSpec v = spec.volumes().get(i);
            volumes.add(new IdentityRequest.Volume(QemuCommand.volumeDevice(i), v.mount(), "ext4", v.readOnly()));
        }
        Instant now = Instant.now();
        return new IdentityRequest(token, spec.id(), spec.name(), HexFormat.of().formatHex(machineId), spec.env(), files,
                spec.init(), network == null ? List.of() : List.of(network.gateway()), Base64.getEncoder().encodeToString(entropy),
                now.getEpochSecond() * 1_000_000_000L + now.getNano(), volumes, network);
    }
}
