package dev.bhatti.agent.posix;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PosixTest {
    @Test
    void effectiveUidMatchesWhatTheKernelReports() throws Exception {
        String uidLine = Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(line -> line.startsWith("Uid:")).findFirst().orElseThrow();
        String effective = uidLine.split("\\s+")[2]; // Uid: real effective saved filesystem
        assertThat(Posix.effectiveUid()).isEqualTo(Integer.parseInt(effective));
    }

    @Test
    void syncReturns() {
        Posix.sync();
    }

    @Test
    void errorMessagesAreTheOperationAndTheLowercasedStrerrorText() {
        assertThat(new PosixException("open /x", 2)).hasMessage("open /x: no such file or directory")
                .satisfies(e -> assertThat(e.errno()).isEqualTo(2));
        assertThat(new PosixException("kill", Libc.ESRCH)).hasMessage("kill: no such process");
        assertThat(new PosixException("x", 99999)).hasMessage("x: unknown error 99999");
    }
}
