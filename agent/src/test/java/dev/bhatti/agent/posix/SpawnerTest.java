package dev.bhatti.agent.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SpawnerTest {
    private static final int ENOENT = 2;

    private final Children children = new Children();

    @AfterEach
    void reap() throws IOException {
        children.close();
    }

    @Test
    void exitStatusesAndDeathBySignalBecomeExitCodes() throws Exception {
        assertThat(children.spawn(List.of("/bin/true")).waitFor()).isZero();
        assertThat(children.spawn(List.of("/bin/sh", "-c", "exit 3")).waitFor()).isEqualTo(3);
        assertThat(children.spawn(List.of("/bin/sh", "-c", "kill -9 $$")).waitFor()).isEqualTo(137);
        assertThat(children.spawn(List.of("/bin/sh", "-c", "kill -TERM $$")).waitFor()).isEqualTo(143);
    }

    @Test
    void standardOutputFlowsThroughAPipeAndEndsWithEndOfFile() throws Exception {
        try (Pipe out = Pipe.open()) {
            Child child = children.spawn(List.of("/bin/echo", "hello"), new FdAction.Dup(out.writeEnd(), 1));
            out.writeEnd().close();
            byte[] buf = new byte[64];
            int n = 0;
            for (int r; (r = out.readEnd().read(buf, n, buf.length - n)) > 0; ) {
                n += r;
            }
            assertThat(new String(buf, 0, n)).isEqualTo("hello\n");
            assertThat(out.readEnd().read(buf, 0, buf.length)).isEqualTo(-1);
            assertThat(child.waitFor()).isZero();
        }
    }

    @Test
    void standardInputFlowsThroughAPipeAndClosingItEndsTheChild() throws Exception {
        try (Pipe in = Pipe.open(); Pipe out = Pipe.open()) {
            Child cat = children.spawn(List.of("/bin/cat"),
                    new FdAction.Dup(in.readEnd(), 0), new FdAction.Dup(out.writeEnd(), 1));
            in.readEnd().close();
            out.writeEnd().close();
            Io.write(in.writeEnd(), "first line\n");
            assertThat(Io.readLine(out.readEnd())).isEqualTo("first line");
            Io.write(in.writeEnd(), "second\n");
            in.writeEnd().close();
            assertThat(Io.readAll(out.readEnd())).isEqualTo("second\n");
            assertThat(cat.waitFor()).isZero();
        }
    }

    @Test
    void environmentAndWorkingDirectoryAreApplied(@TempDir Path dir) throws Exception {
        try (Pipe out = Pipe.open()) {
            Child child = children.spawn(new SpawnRequest(Path.of("/bin/sh"),
                    List.of("sh", "-c", "echo \"$FOO\"; pwd"), List.of("FOO=bar baz"), dir,
                    List.of(new FdAction.Dup(out.writeEnd(), 1)), false));
            out.writeEnd().close();
            assertThat(Io.readAll(out.readEnd())).isEqualTo("bar baz\n" + dir.toRealPath() + "\n");
            assertThat(child.waitFor()).isZero();
        }
    }

    @Test
    void theChildSeesOnlyTheEnvironmentItWasGiven() throws Exception {
        assertThat(System.getenv()).containsKey("PATH"); // the JVM has variables that must not leak
        try (Pipe out = Pipe.open()) {
            Child child = children.spawn(new SpawnRequest(Path.of("/usr/bin/env"), List.of("env"),
                    List.of("FOO=bar", "EMPTY="), null, List.of(new FdAction.Dup(out.writeEnd(), 1)), false));
            out.writeEnd().close();
            assertThat(Io.readAll(out.readEnd()).lines()).containsExactly("FOO=bar", "EMPTY=");
            assertThat(child.waitFor()).isZero();
        }
    }

    @Test
    void aMissingExecutableFailsNamingItAndLeavesNoChildBehind() {
        Set<Long> before = childPids();
        assertThatThrownBy(() -> children.spawn(List.of("/nonexistent/nope")))
                .isInstanceOfSatisfying(PosixException.class, e -> assertThat(e.errno()).isEqualTo(ENOENT))
                .hasMessage("posix_spawn /nonexistent/nope: no such file or directory");
        assertThat(childPids()).isSubsetOf(before);
    }

    @Test
    void aMissingWorkingDirectoryFailsAndLeavesNoChildBehind(@TempDir Path dir) {
        Set<Long> before = childPids();
        Path missing = dir.resolve("gone");
        assertThatThrownBy(() -> children.spawn(new SpawnRequest(Path.of("/bin/true"), List.of("true"),
                        List.of(), missing, List.of(), false)))
                .isInstanceOfSatisfying(PosixException.class, e -> assertThat(e.errno()).isEqualTo(ENOENT))
                .hasMessageContaining("/bin/true");
        assertThat(childPids()).isSubsetOf(before);
    }

    @Test
    void aNonExecutableFileFailsWithPermissionDenied(@TempDir Path dir) throws Exception {
        Path script = Files.writeString(dir.resolve("script"), "#!/bin/sh\n");
        assertThatThrownBy(() -> children.spawn(List.of(script.toString())))
                .isInstanceOf(PosixException.class)
                .hasMessage("posix_spawn " + script + ": permission denied");
    }

    @Test
    void aClosedDupSourceIsRejectedBeforeSpawning() throws Exception {
        Pipe pipe = Pipe.open();
        pipe.close();
        assertThatThrownBy(() -> children.spawn(List.of("/bin/true"), new FdAction.Dup(pipe.writeEnd(), 1)))
                .isInstanceOfSatisfying(PosixException.class, e -> assertThat(e.errno()).isEqualTo(Libc.EBADF))
                .hasMessageContaining("/bin/true");
    }

    @Test
    void openActionsTruncateAppendAndReadFilesInTheChild(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("out.txt");
        Files.writeString(file, "old content that must disappear\n");
        assertThat(children.spawn(List.of("/bin/echo", "one"),
                new FdAction.Open(file, 1, OpenMode.WRITE_TRUNCATE)).waitFor()).isZero();
        assertThat(children.spawn(List.of("/bin/echo", "two"),
                new FdAction.Open(file, 1, OpenMode.APPEND)).waitFor()).isZero();
        assertThat(Files.readString(file)).isEqualTo("one\ntwo\n");
        try (Pipe out = Pipe.open()) {
            Child cat = children.spawn(List.of("/bin/cat"),
                    new FdAction.Open(file, 0, OpenMode.READ), new FdAction.Dup(out.writeEnd(), 1));
            out.writeEnd().close();
            assertThat(Io.readAll(out.readEnd())).isEqualTo("one\ntwo\n");
            assertThat(cat.waitFor()).isZero();
        }
    }

    @Test
    void anOpenActionCreatesMissingFilesAndFailsForMissingDirectories(@TempDir Path dir) throws Exception {
        Path created = dir.resolve("new.txt");
        assertThat(children.spawn(List.of("/bin/echo", "x"),
                new FdAction.Open(created, 1, OpenMode.APPEND)).waitFor()).isZero();
        assertThat(Files.readString(created)).isEqualTo("x\n");
        assertThatThrownBy(() -> children.spawn(List.of("/bin/cat"),
                        new FdAction.Open(dir.resolve("no/such/file"), 0, OpenMode.READ)))
                .isInstanceOfSatisfying(PosixException.class, e -> assertThat(e.errno()).isEqualTo(ENOENT));
    }

    @Test
    void dupChildCopiesADescriptorAlreadySetUpInTheChild() throws Exception {
        try (Pipe out = Pipe.open()) {
            Child child = children.spawn(List.of("/bin/sh", "-c", "echo to-stderr >&2"),
                    new FdAction.Dup(out.writeEnd(), 1), new FdAction.DupChild(1, 2));
            out.writeEnd().close();
            assertThat(Io.readAll(out.readEnd())).isEqualTo("to-stderr\n");
            assertThat(child.waitFor()).isZero();
        }
    }

    @Test
    void theChildInheritsNoDescriptorsBeyondItsTargetsEvenWithoutCloseOnExec() throws Throwable {
        try (Pipe out = Pipe.open(); Fd leaky = TestLibc.dupInheritable(out.readEnd())) {
            Child ls = children.spawn(List.of("/bin/ls", "/proc/self/fd"), new FdAction.Dup(out.writeEnd(), 1));
            out.writeEnd().close();
            List<String> fds = Io.readAll(out.readEnd()).lines().toList();
            assertThat(ls.waitFor()).isZero();
            assertThat(fds).contains("0", "1", "2").doesNotContain(Integer.toString(leaky.value()))
                    .hasSizeLessThanOrEqualTo(4); // 0, 1, 2 and the directory ls is reading
        }
    }

    private static Set<Long> childPids() {
        return ProcessHandle.current().children().map(ProcessHandle::pid).collect(Collectors.toSet());
    }
}
