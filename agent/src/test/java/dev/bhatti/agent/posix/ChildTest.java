package dev.bhatti.agent.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ChildTest {
    private final Children children = new Children();

    @AfterEach
    void reap() throws IOException {
        children.close();
    }

    @Test
    void signalGroupKillsTheChildAndTheGrandchildrenInItsGroup() throws Exception {
        try (Pipe out = Pipe.open()) {
            Child shell = children.spawn(List.of("/bin/sh", "-c", "/bin/sleep 300 & echo $!; wait"),
                    new FdAction.Dup(out.writeEnd(), 1));
            out.writeEnd().close();
            long grandchild = Long.parseLong(Io.readLine(out.readEnd()).trim());
            try {
                String stat = Io.procStat(grandchild);
                assertThat(stat).as("grandchild is alive").isNotNull();
                assertThat(Io.processGroupOf(stat)).isEqualTo(shell.pid());

                shell.signalGroup(Signals.KILL);

                assertThat(shell.waitFor()).isEqualTo(137);
                Io.await("grandchild " + grandchild + " is gone", () -> Io.isGoneOrZombie(grandchild));
            } finally {
                killIfStillInGroup(grandchild, shell.pid());
            }
        }
    }

    @Test
    void theChildLeadsItsOwnProcessGroup() throws Exception {
        Child child = children.spawn(List.of("/bin/sleep", "300"));
        String stat = Io.procStat(child.pid());
        assertThat(stat).isNotNull();
        assertThat(Io.processGroupOf(stat)).isEqualTo(child.pid());
        assertThat(Io.processGroupOf(Io.procStat(ProcessHandle.current().pid()))).isNotEqualTo(child.pid());
    }

    @Test
    void signalTerminatesTheChildAndIsANoOpOnceReaped() throws Exception {
        Child child = children.spawn(List.of("/bin/sleep", "300"));
        assertThat(child.exitCode()).isEmpty();
        child.signal(Signals.TERM);
        assertThat(child.waitFor()).isEqualTo(143);
        assertThat(child.exitCode()).hasValue(143);
        child.signal(Signals.KILL);
        child.signalGroup(Signals.KILL); // no members left: ESRCH is not an error
        assertThat(child.waitFor()).isEqualTo(143);
    }

    @Test
    void signallingAnExitedButUnreapedChildIsNotAnError() throws Exception {
        Child child = children.spawn(List.of("/bin/true"));
        Io.await("the child is a zombie", () -> Io.isGoneOrZombie(child.pid()));
        child.signal(Signals.INT);
        child.signalGroup(Signals.INT);
        assertThat(child.waitFor()).isZero();
    }

    @Test
    void anInvalidSignalNumberIsReportedNotSwallowed() throws Exception {
        Child child = children.spawn(List.of("/bin/sleep", "300"));
        assertThatThrownBy(() -> child.signal(999))
                .isInstanceOfSatisfying(PosixException.class, e -> assertThat(e.errno()).isEqualTo(Libc.EINVAL))
                .hasMessage("kill " + child.pid() + " 999: invalid argument");
        assertThatThrownBy(() -> child.signalGroup(-1)).isInstanceOf(PosixException.class);
    }

    @Test
    void concurrentWaitersAllGetTheSameExitCode() throws Exception {
        try (Pipe in = Pipe.open()) {
            Child child = children.spawn(List.of("/bin/sh", "-c", "read x; exit 7"), new FdAction.Dup(in.readEnd(), 0));
            in.readEnd().close();
            List<CompletableFuture<Integer>> waiters = List.of(waiter(child), waiter(child), waiter(child));
            Io.write(in.writeEnd(), "go\n");
            for (CompletableFuture<Integer> waiter : waiters) {
                assertThat(waiter.get(20, TimeUnit.SECONDS)).isEqualTo(7);
            }
        }
    }

    @Test
    void waitStatusesDecodeLikeTheShellDoes() {
        assertThat(Child.exitCodeOf(0)).isZero();
        assertThat(Child.exitCodeOf(3 << 8)).isEqualTo(3);
        assertThat(Child.exitCodeOf(255 << 8)).isEqualTo(255);
        assertThat(Child.exitCodeOf(9)).isEqualTo(137);
        assertThat(Child.exitCodeOf(11 | 0x80)).as("SIGSEGV with core dump").isEqualTo(139);
        assertThatThrownBy(() -> Child.exitCodeOf(0x137f)).isInstanceOf(IllegalStateException.class);
    }

    /** Cleans up after a failed assertion without touching a process that merely reused the pid. */
    private static void killIfStillInGroup(long pid, int group) {
        String stat = Io.procStat(pid);
        if (stat != null && Io.processGroupOf(stat) == group) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    private static CompletableFuture<Integer> waiter(Child child) {
        CompletableFuture<Integer> result = new CompletableFuture<>();
        Thread.ofPlatform().start(() -> {
            try {
                result.complete(child.waitFor());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result;
    }
}
