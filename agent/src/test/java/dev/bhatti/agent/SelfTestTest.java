package dev.bhatti.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bhatti.agent.posix.GuestSystem;
import dev.bhatti.agent.posix.Posix;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelfTestTest {

    @Test
    void selfTestDrivesEveryKindOfRequestAndPasses() throws Exception {
        assertThat(SelfTest.run()).isZero();
    }

    @Test
    void guestMountAndUnmountWorkOnATemporaryDirectory(@TempDir Path dir) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Posix.effectiveUid() == 0, "mount needs root");
        GuestSystem.mount("tmpfs", dir.toString(), "tmpfs", 0, "size=1m,mode=0700");
        try {
            assertThat(Files.readString(Path.of("/proc/self/mounts"))).contains(" " + dir + " tmpfs ");
            Files.writeString(dir.resolve("x"), "y");
        } finally {
            GuestSystem.unmount(dir.toString());
        }
        assertThat(Files.readString(Path.of("/proc/self/mounts"))).doesNotContain(" " + dir + " tmpfs ");
        assertThat(dir.resolve("x")).doesNotExist();
    }

    @Test
    void mountFailureNamesWhatWasAttempted(@TempDir Path dir) {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> GuestSystem.mount("/dev/does-not-exist", dir.toString(), "ext4", GuestSystem.READ_ONLY, null))
                .hasMessageContaining("mount ext4 /dev/does-not-exist on " + dir);
    }
}
