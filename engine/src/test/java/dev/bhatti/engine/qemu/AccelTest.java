package dev.bhatti.engine.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** How a VM runs: the accelerator's arguments, the TCG translation buffer and the free-page-reporting balloon. */
class AccelTest {
    private static List<String> args(Accel accel) {
        return new QemuCommand(new SandboxDir(Path.of("/data/sandboxes/sb-1")), 1, 512, accel, GuestImages.fromCache(),
                QemuCommand.kernelArgs(OptionalLong.empty()), new Nic.User(new Ports(40001, 40002)), List.of(), 0, false)
                .args(Path.of("/usr/bin/qemu-system-x86_64"));
    }

    @Test
    void tcgBoundsItsTranslationBufferByDefaultAndZeroLeavesQemusOwn() {
        assertThat(Accel.TCG.args()).containsExactly("-accel", "tcg,thread=multi,tb-size=" + Accel.DEFAULT_TB_SIZE_MB,
                "-cpu", "max");
        assertThat(Accel.TCG.withTbSizeMb(0).args()).containsExactly("-accel", "tcg,thread=multi", "-cpu", "max");
        assertThat(Accel.KVM.withTbSizeMb(128).args()).containsExactly("-accel", "kvm", "-cpu", "host");
        assertThatThrownBy(() -> Accel.TCG.withTbSizeMb(-1)).hasMessageContaining("tb-size");
    }

    @Test
    void freePageReportingAddsTheBalloonAsTheLastDeviceSoEarlierSlotsKeepTheirPlaces() {
        List<String> on = args(Accel.TCG);
        assertThat(on.subList(on.size() - 2, on.size())).containsExactly("-device", "virtio-balloon-device,free-page-reporting=on");
        List<String> off = args(Accel.TCG.withFreePageReporting(false));
        assertThat(String.join(" ", off)).doesNotContain("balloon");
        assertThat(on.subList(0, on.size() - 2)).isEqualTo(off);
    }
}
