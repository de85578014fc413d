package dev.bhatti.engine.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class VolumeSlotsTest {
    private static final SandboxDir DIR = new SandboxDir(Path.of("/data/sandboxes/sb-1"));
    private static final QemuCommand.Volume RW = new QemuCommand.Volume(Path.of("/data/volumes/work.ext4"), false);
    private static final QemuCommand.Volume RO = new QemuCommand.Volume(Path.of("/data/volumes/deps.ext4"), true);

    private static String args(List<QemuCommand.Volume> volumes, int slots) {
        return String.join(" ", new QemuCommand(DIR, 1, 512, Accel.TCG, GuestImages.fromCache(),
                QemuCommand.kernelArgs(OptionalLong.empty()), new Nic.User(new Ports(40001, 40002)), volumes, slots, false)
                .args(Path.of("/usr/bin/qemu-system-x86_64")));
    }

    @Test
    void aBootedVmHasOneDrivePerVolumeAndReadOnlyOnesAreReadOnly() {
        String a = args(List.of(RW, RO), 0);
        assertThat(a).contains("id=vol0,file=/data/volumes/work.ext4,format=raw -device")
                .contains("id=vol1,file=/data/volumes/deps.ext4,format=raw,readonly=on")
                .doesNotContain("vol2").doesNotContain("null-co");
    }

    @Test
    void aVmFromAnImageSnapshotKeepsEveryEmptySlotAsAZeroSizedNullDrive() {
        String a = args(List.of(RW), 4);
        assertThat(a).contains("id=vol0,file=/data/volumes/work.ext4,format=raw -device virtio-blk-device,drive=vol0")
                .contains("id=vol1,driver=null-co,size=0").contains("id=vol3,driver=null-co,size=0")
                .doesNotContain("vol4");
    }

    @Test
    void aReadOnlyVolumeInASlotWritesOnlyToAThrowAwayOverlayNeverToTheVolume() {
        String a = args(List.of(RO), 4);
        assertThat(a).contains("id=vol0,file=/data/volumes/deps.ext4,format=raw,snapshot=on");
    }

    @Test
    void volumesBeyondTheSlotsAreRefused() {
        assertThatThrownBy(() -> new VmConfig("sb-1", "one", 1, 512, DIR, "t", GuestImages.fromCache(), Accel.TCG, "",
                Path.of("/usr/bin/qemu-system-x86_64"), List.of(RW, RW, RO), 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 volumes do not fit 2 slots");
    }
}
