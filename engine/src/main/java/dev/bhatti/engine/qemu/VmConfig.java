package dev.bhatti.engine.qemu;

import java.nio.file.Path;
import java.util.List;

/** What stays fixed about a sandbox's VM across stop/start cycles. */
record VmConfig(String id, String name, int cpus, int memoryMb, SandboxDir dir, String token, GuestImages images,
                Accel accel, String kernelArgs, Path qemu, List<QemuCommand.Volume> volumes) {

    /** The same VM with another agent token (a VM restored from a snapshot took its own identity). */
    VmConfig withToken(String newToken) {
        return new VmConfig(id, name, cpus, memoryMb, dir, newToken, images, accel, kernelArgs, qemu, volumes);
    }

    QemuCommand command(Nic nic, boolean incoming) {
        return new QemuCommand(dir, cpus, memoryMb, accel, images, kernelArgs, nic, volumes, incoming);
    }
}
