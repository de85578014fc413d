package dev.bhatti.agent.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PtyTest {
    private final Children children = new Children();

    @AfterEach
    void reap() throws IOException {
        children.close();
    }

    @Test
    void openGivesACloseOnExecMasterAndAnExistingSlave() throws Exception {
        try (Pty pty = Pty.open(24, 80)) {
            assertThat(pty.slavePath().toString()).matches("/dev/pts/\\d+");
            assertThat(Files.exists(pty.slavePath())).isTrue();
            assertThat(pty.master().isOpen()).isTrue();
            int flags = Io.fdFlags(pty.master().value());
            assertThat(flags & Libc.O_CLOEXEC).isNotZero();
            assertThat(flags & 3).isEqualTo(Libc.O_RDWR);
        }
    }

    @Test
    void aChildInANewSessionGetsTheSlaveAsControllingTerminalWithTheRequestedSize() throws Exception {
        try (Pty pty = Pty.open(24, 80)) {
            Child child = children.spawn(terminalRequest(pty, "stty size; tty; exec </dev/tty && echo ctty-ok"));
            String output = Io.readAll(pty.master()); // EIO once the child has gone reads as -1
            assertThat(output).contains("24 80").contains(pty.slavePath().toString()).contains("ctty-ok");
            assertThat(child.waitFor()).isZero();
            assertThat(pty.master().read(new byte[16], 0, 16)).isEqualTo(-1);
        }
    }

    @Test
    void theChildIsASessionLeader() throws Exception {
        try (Pty pty = Pty.open(24, 80)) {
            Child child = children.spawn(terminalRequest(pty, "exec cat /proc/self/stat"));
            String stat = Io.readAll(pty.master());
            assertThat(child.waitFor()).isZero();
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // sh exec'd cat in place (same pid): its group and session are the child's pid
            assertThat(fields[2]).isEqualTo(Integer.toString(child.pid()));
            assertThat(fields[3]).isEqualTo(Integer.toString(child.pid()));
        }
    }

    @Test
    void resizeChangesWhatTheTerminalReports() throws Exception {
        try (Pty pty = Pty.open(24, 80)) {
            Child child = children.spawn(terminalRequest(pty, "read x; stty size"));
            pty.resize(50, 132);
            Io.write(pty.master(), "\n");
            assertThat(Io.readAll(pty.master())).contains("50 132").doesNotContain("24 80");
            assertThat(child.waitFor()).isZero();
        }
    }

    @Test
    void windowSizesOutsideTheTerminalRangeAreRejected() throws Exception {
        assertThatThrownBy(() -> Pty.open(0, 80)).isInstanceOf(IllegalArgumentException.class);
        try (Pty pty = Pty.open(1, 1)) {
            assertThatThrownBy(() -> pty.resize(24, 65_536)).isInstanceOf(IllegalArgumentException.class);
            pty.resize(65_535, 65_535);
        }
    }

    @Test
    void closeClosesTheMasterAndResizeThenFails() throws Exception {
        Pty pty = Pty.open(24, 80);
        pty.close();
        pty.close();
        assertThat(pty.master().isOpen()).isFalse();
        assertThatThrownBy(() -> pty.resize(30, 100))
                .isInstanceOfSatisfying(PosixException.class, e -> assertThat(e.errno()).isEqualTo(Libc.EBADF));
    }

    private static SpawnRequest terminalRequest(Pty pty, String script) {
        return new SpawnRequest(Path.of("/bin/sh"), List.of("sh", "-c", script),
                List.of("PATH=/usr/bin:/bin", "TERM=dumb"), null,
                List.of(new FdAction.Open(pty.slavePath(), 0, OpenMode.READ_WRITE),
                        new FdAction.DupChild(0, 1), new FdAction.DupChild(0, 2)),
                true);
    }
}
