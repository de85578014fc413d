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

    static IdentityRequest of(CreateSpec spec, String token, byte[] entropy, byte[] machineId) {
        Map<String, IdentityRequest.File> files = new LinkedHashMap<>();
        spec.files().forEach((path, f) -> files.put(path, new IdentityRequest.File(
                Base64.getEncoder().encodeToString(f.content()), f.mode() == null ? "0644" : f.mode())));
        Instant now = Instant.now();
        return new IdentityRequest(token, spec.id(), spec.name(), HexFormat.of().formatHex(machineId), spec.env(), files,
                spec.init(), List.of(), Base64.getEncoder().encodeToString(entropy),
                now.getEpochSecond() * 1_000_000_000L + now.getNano());
    }
}
