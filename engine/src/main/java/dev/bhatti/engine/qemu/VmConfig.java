package dev.bhatti.engine.qemu;

import java.nio.file.Path;
import java.util.List;

/**
 * What stays fixed about a sandbox's VM across stop/start cycles. {@code volumeSlots} is 0 for a
 * VM booted with its volumes, else the number of volume drives of the image snapshot it was
 * restored from (its volumes fill the first slots, the rest stay empty).
 */
record VmConfig(String id, String name, int cpus, int memoryMb, SandboxDir dir, String token, GuestImages images,
                Accel accel, String kernelArgs, Path qemu, List<QemuCommand.Volume> volumes, int volumeSlots) {

    VmConfig {
        volumes = List.copyOf(volumes);
        if (volumeSlots != 0 && volumeSlots < volumes.size()) {
            throw new IllegalArgumentException(volumes.size() + " volumes do not fit " + volumeSlots + " slots");
        }
    }

    /** The same VM with another agent token (a VM restored from a snapshot took its own identity). */
    VmConfig withToken(String newToken) {
        return new VmConfig(id, name, cpus, memoryMb, dir, newToken, images, accel, kernelArgs, qemu, volumes, volumeSlots);
    }

    QemuCommand command(Nic nic, boolean incoming) {
        return new QemuCommand(dir, cpus, memoryMb, accel, images, kernelArgs, nic, volumes, volumeSlots, incoming);
    }
}
