package dev.bhatti.agent.identity;

import dev.bhatti.agent.config.AgentConfig;
import dev.bhatti.agent.config.GuestSetup;
import dev.bhatti.agent.files.FileService;
import dev.bhatti.agent.files.Owner;
import dev.bhatti.agent.guest.GuestVolumes;
import dev.bhatti.agent.posix.GuestSystem;
import dev.bhatti.proto.IdentityRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * IDENTITY: a VM restored from another VM's snapshot becomes its own sandbox. Under {@code root}
 * it writes {@code /etc/hostname}, {@code /etc/machine-id}, {@code /etc/resolv.conf} and the
 * files (as the config drive's are written at boot); where it owns the machine (the guest) it
 * also sets the kernel's hostname, credits the host's random bytes to the entropy pool and
 * reseeds the CRNG, sets the clock and mounts the volumes put into its empty slots. The caller
 * then swaps the token and the env.
 */
public final class NewIdentity {
    private static final Logger log = LoggerFactory.getLogger(NewIdentity.class);
    static final String MACHINE_ID_PATH = "/etc/machine-id";

    private final Path root;
    private final Optional<Owner> owner;
    private final boolean ownsMachine;

    public NewIdentity(Path root, Optional<Owner> owner, boolean ownsMachine) {
        this.root = root;
        this.owner = owner;
        this.ownsMachine = ownsMachine;
    }

    /** Applies everything but the token and env; throws when the machine-wide parts fail. */
    public GuestSetup.Report apply(IdentityRequest id) throws IOException {
        Map<String, AgentConfig.FileEntry> files = new LinkedHashMap<>();
        id.files().forEach((path, f) -> files.put(path, new AgentConfig.FileEntry(f.content(), f.mode())));
        AgentConfig config = new AgentConfig(id.sandboxId(), id.hostname(), id.token(), id.env(), files, List.of(),
                id.init(), id.dns(), null);
        GuestSetup.Report report = new GuestSetup(root, owner).apply(config);
        FileService.install(root.resolve(MACHINE_ID_PATH.substring(1)),
                (id.machineId() + "\n").getBytes(StandardCharsets.US_ASCII), 0444, Optional.empty());
        if (ownsMachine) {
            GuestSystem.setHostname(id.hostname());
            GuestSystem.addEntropy(id.seed());
            if (id.timeNs() != null) {
                GuestSystem.setClock(id.timeNs());
            }
            GuestVolumes.mountFilledSlots(id.volumes().stream()
                    .map(v -> new AgentConfig.Volume(v.device(), v.mount(), v.fs(), v.readOnly())).toList(), owner);
        }
        log.info("event=identity_taken sandbox={} hostname={} files={} skipped={} volumes={} machine={}", id.sandboxId(),
                id.hostname(), report.applied().size(), report.skipped().size(), id.volumes().size(), ownsMachine);
        return report;
    }
}
