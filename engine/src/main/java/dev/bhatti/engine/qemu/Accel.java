package dev.bhatti.engine.qemu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code accel=auto}: KVM only when {@code /dev/kvm} is usable and the CPU advertises hardware
 * virtualisation (vmx/svm); otherwise TCG with one host thread per vCPU. Some hosts expose a
 * /dev/kvm that only runs PVM guest kernels, where a stock kernel hangs: the CPU flags tell.
 */
public enum Accel {
    KVM(List.of("-accel", "kvm", "-cpu", "host")),
    TCG(List.of("-accel", "tcg,thread=multi", "-cpu", "max"));

    private final List<String> args;

    Accel(List<String> args) {
        this.args = args;
    }

    public List<String> args() {
        return args;
    }

    public static Accel detect() {
        Path kvm = Path.of("/dev/kvm");
        if (!Files.isReadable(kvm) || !Files.isWritable(kvm)) {
            return TCG;
        }
        try {
            String cpuinfo = Files.readString(Path.of("/proc/cpuinfo"));
            return cpuinfo.matches("(?s).*\\bflags\\s*:.*\\b(vmx|svm)\\b.*") ? KVM : TCG;
        } catch (IOException e) {
            return TCG;
        }
    }
}
