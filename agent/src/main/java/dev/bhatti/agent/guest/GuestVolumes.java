package dev.bhatti.agent.guest;

import dev.bhatti.agent.config.AgentConfig;
import dev.bhatti.agent.exec.VolumeSync;
import dev.bhatti.agent.files.Owner;
import dev.bhatti.agent.posix.GuestSystem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mounts a sandbox's volumes: from the config drive at boot (a failure is logged and the boot goes
 * on, SPEC §2.2), or from IDENTITY in a VM restored from an image snapshot, where the host has just
 * put the volume into an empty slot and told the guest its new size (a failure refuses the identity).
 */
public final class GuestVolumes {
    private static final Logger log = LoggerFactory.getLogger(GuestVolumes.class);
    /** How long a restored guest waits for a filled slot's new capacity to show (its config-change work runs async). */
    static final Duration SLOT_FILLED = Duration.ofSeconds(5);

    private GuestVolumes() {}

    /** At boot: every volume that can be mounted is; the others are logged. */
    static void mountAtBoot(List<AgentConfig.Volume> volumes, Owner owner) {
        for (AgentConfig.Volume v : volumes) {
            try {
                mount(v, owner);
            } catch (IOException e) {
                log.error("event=volume_mount_failed device={} mount={} error=\"{}\"", v.device(), v.mount(), e.getMessage());
            }
        }
    }

    /** For IDENTITY: waits until each device has a size, mounts it, and throws at the first that fails. */
    public static void mountFilledSlots(List<AgentConfig.Volume> volumes, Optional<Owner> owner) throws IOException {
        for (AgentConfig.Volume v : volumes) {
            awaitCapacity(v.device());
            mount(v, owner.orElse(GuestBoot.LOHAR));
        }
    }

    private static void mount(AgentConfig.Volume v, Owner owner) throws IOException {
        Path target = Files.createDirectories(Path.of(v.mount()));
        GuestSystem.mount(v.device(), v.mount(), v.fs() == null ? "ext4" : v.fs(),
                v.readOnly() ? GuestSystem.READ_ONLY : 0, null);
        if (!v.readOnly()) {
            Files.setAttribute(target, "unix:uid", owner.uid());
            Files.setAttribute(target, "unix:gid", owner.gid());
            VolumeSync.mounted(v.mount());
        }
        log.info("event=volume_mounted device={} mount={} read_only={}", v.device(), v.mount(), v.readOnly());
    }

    private static void awaitCapacity(String device) throws IOException {
        Path size = Path.of("/sys/block", Path.of(device).getFileName().toString(), "size");
        long deadline = System.nanoTime() + SLOT_FILLED.toNanos();
        while (true) {
            String sectors = Files.exists(size) ? Files.readString(size).strip() : "0";
            if (!sectors.equals("0")) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("volume device " + device + " still has no capacity after " + SLOT_FILLED.toSeconds()
                        + " s (the host did not fill its slot)");
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted waiting for " + device, e);
            }
        }
    }
}
