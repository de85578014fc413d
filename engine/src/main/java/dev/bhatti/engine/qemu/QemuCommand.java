package dev.bhatti.engine.qemu;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The QEMU command line of one sandbox: a {@code microvm} with guest memory in a shared file (so a
 * snapshot is only device state), the root overlay as /dev/vda, the config drive as /dev/vdb,
 * volumes from /dev/vdc on (then empty slots up to {@code volumeSlots}: zero-sized {@code null-co}
 * drives an image snapshot is taken with, so a clone's volumes can take their place), the network card ({@link Nic}: user-mode with the agent's ports forwarded
 * to loopback only, or a TAP on a bridge with the guest address in the kernel's {@code ip=}),
 * the serial console appended to a log, and QMP on a Unix socket. With {@code incoming} the VM
 * waits for a snapshot to be loaded.
 */
record QemuCommand(SandboxDir dir, int cpus, int memoryMb, Accel accel, GuestImages images, String kernelArgs,
                   Nic nic, List<Volume> volumes, int volumeSlots, boolean incoming) {

    /** An attached volume image. */
    record Volume(Path image, boolean readOnly) {}

    /** Kernel parameters; {@code tsc=reliable} keeps a TCG-skewed watchdog from demoting the TSC. */
    static String kernelArgs(java.util.OptionalLong tscKhz) {
        return "console=ttyS0 root=/dev/vda rw panic=-1 quiet tsc=reliable"
                + (tscKhz.isPresent() ? " tsc_early_khz=" + tscKhz.getAsLong() : "");
    }

    List<String> args(Path qemuBinary) {
        List<String> a = new ArrayList<>(nic.launchPrefix());
        a.addAll(List.of(qemuBinary.toString(),
                "-M", "microvm,memory-backend=mem0", "-m", memoryMb + "M", "-smp", Integer.toString(cpus),
                "-nodefaults", "-no-user-config", "-display", "none", "-no-reboot"));
        a.addAll(accel.args());
        a.addAll(List.of(
                "-object", "memory-backend-file,id=mem0,size=" + memoryMb + "M,mem-path=" + dir.memory() + ",share=on",
                "-kernel", images.kernel().toString(), "-initrd", images.initrd().toString(), "-append",
                nic.kernelArg().isEmpty() ? kernelArgs : kernelArgs + " " + nic.kernelArg(),
                "-chardev", "file,id=ser0,path=" + dir.serialLog() + ",append=on", "-serial", "chardev:ser0",
                "-qmp", "unix:" + dir.qmpSocket() + ",server=on,wait=off"));
        drive(a, "root", dir.overlay(), "qcow2", false);
        drive(a, "cfg", dir.configDrive(), "raw", true);
        for (int i = 0; i < Math.max(volumes.size(), volumeSlots); i++) {
            if (i >= volumes.size()) {
                a.addAll(List.of("-drive", "if=none,id=" + volumeDrive(i) + ",driver=null-co,size=0",
                        "-device", "virtio-blk-device,drive=" + volumeDrive(i)));
            } else if (volumeSlots > 0 && volumes.get(i).readOnly()) {
                // The slot was writable when the snapshot's guest probed it, and a read-only
                // drive cannot be told its size: writes go to a temporary overlay QEMU throws away.
                a.addAll(List.of("-drive", "if=none,id=" + volumeDrive(i) + ",file=" + volumes.get(i).image()
                        + ",format=raw,snapshot=on", "-device", "virtio-blk-device,drive=" + volumeDrive(i)));
            } else {
                drive(a, volumeDrive(i), volumes.get(i).image(), "raw", volumes.get(i).readOnly());
            }
        }
        a.addAll(nic.qemuArgs());
        if (accel.freePageReporting()) {
            // Last, so every earlier device keeps its virtio-mmio slot (a snapshot taken without it
            // still loads: its guest never probed the slot). The guest reports 2 MiB blocks it freed
            // and QEMU punches them out of the memory file: freed guest memory stops costing host memory.
            a.addAll(List.of("-device", "virtio-balloon-device,free-page-reporting=on"));
        }
        if (incoming) {
            a.addAll(List.of("-incoming", "defer"));
        }
        return a;
    }

    /** The QEMU drive id of the {@code i}th volume (its slot), as QMP's {@code block_resize} names it. */
    static String volumeDrive(int i) {
        return "vol" + i;
    }

    /** The guest's block device of the {@code i}th volume: /dev/vdc, /dev/vdd, ... */
    static String volumeDevice(int i) {
        return "/dev/vd" + (char) ('c' + i);
    }

    private static void drive(List<String> a, String id, Path file, String format, boolean readOnly) {
        a.addAll(List.of("-drive", "if=none,id=" + id + ",file=" + file + ",format=" + format
                + (readOnly ? ",readonly=on" : ""), "-device", "virtio-blk-device,drive=" + id));
    }
}
