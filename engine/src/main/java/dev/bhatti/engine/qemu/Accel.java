package dev.bhatti.engine.qemu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The accelerator every VM runs on. {@code accel=auto}: KVM only when {@code /dev/kvm} is usable and
 * the CPU advertises hardware virtualisation (vmx/svm); otherwise TCG with one host thread per vCPU.
 * Some hosts expose a /dev/kvm that only runs PVM guest kernels, where a stock kernel hangs: the
 * CPU flags tell.
 *
 * <p>Under TCG, {@code tbSizeMb} bounds the translation buffer (QEMU's {@code tb-size}): the host
 * memory the translated guest code may fill, which is most of a booted VM's anonymous memory
 * (QEMU's own default lets it grow to 1 GiB per VM). A full buffer is flushed and the code is
 * translated again as it runs (decision 0026).
 *
 * <p>With {@code freePageReporting} every VM also gets a virtio balloon that only reports free
 * pages: what the guest frees goes back to the host (decision 0026). It is here, with the other
 * settings of how a VM runs, so an engine (and a benchmark) can choose it whole.
 *
 * @param kind              KVM or TCG
 * @param tbSizeMb          TCG translation buffer in MiB; 0 = QEMU's default; ignored for KVM
 * @param freePageReporting give every VM a free-page-reporting balloon
 */
public record Accel(Kind kind, int tbSizeMb, boolean freePageReporting) {
    /** Which accelerator. */
    public enum Kind { KVM, TCG }

    /** The translation buffer a TCG VM gets unless told otherwise (decision 0026). */
    public static final int DEFAULT_TB_SIZE_MB = 96;
    public static final Accel KVM = new Accel(Kind.KVM, 0, true);
    public static final Accel TCG = new Accel(Kind.TCG, DEFAULT_TB_SIZE_MB, true);

    public Accel {
        if (tbSizeMb < 0 || tbSizeMb > 4096) {
            throw new IllegalArgumentException("tb-size must be 0..4096 MiB, got " + tbSizeMb);
        }
    }

    /** This accelerator with another TCG translation buffer (0: QEMU's default). */
    public Accel withTbSizeMb(int mb) {
        return new Accel(kind, mb, freePageReporting);
    }

    /** This accelerator with or without the free-page-reporting balloon. */
    public Accel withFreePageReporting(boolean on) {
        return new Accel(kind, tbSizeMb, on);
    }

    /** The {@code -accel}/{@code -cpu} arguments. */
    public List<String> args() {
        return switch (kind) {
            case KVM -> List.of("-accel", "kvm", "-cpu", "host");
            case TCG -> List.of("-accel", "tcg,thread=multi" + (tbSizeMb > 0 ? ",tb-size=" + tbSizeMb : ""), "-cpu", "max");
        };
    }

    @Override
    public String toString() {
        return (kind == Kind.TCG && tbSizeMb > 0 ? "TCG(tb-size=" + tbSizeMb + "MiB)" : kind.name())
                + (freePageReporting ? "+free-page-reporting" : "");
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
