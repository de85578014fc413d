package dev.bhatti.server.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Orphan clean-up with real processes and directories. */
class OrphansTest {
    @TempDir
    Path data;

    @Test
    void processAndDirectoryOfAnUnknownSandboxAreRemovedWhileAKnownOneStays() throws Exception {
        Path sandboxes = data.resolve("sandboxes");
        Path known = Files.createDirectories(sandboxes.resolve("known-1"));
        Path stray = Files.createDirectories(sandboxes.resolve("stray-1"));
        Files.writeString(known.resolve("serial.log"), "k\n");
        Files.writeString(stray.resolve("serial.log"), "s\n");
        Process orphan = tail(stray.resolve("serial.log"));
        Process keeper = tail(known.resolve("serial.log"));
        try {
            awaitCommandLineVisible(orphan, "stray-1");

            Orphans.Cleanup done = Orphans.clean(sandboxes, Set.of("known-1"));

            assertThat(orphan.waitFor(10, TimeUnit.SECONDS)).as("orphan ended").isTrue();
            assertThat(keeper.isAlive()).as("a known sandbox's process is left alone").isTrue();
            assertThat(done.killed()).extracting(Orphans.KilledProcess::pid).containsExactly(orphan.pid());
            assertThat(done.killed().getFirst().sandboxId()).isEqualTo("stray-1");
            assertThat(done.removedDirs()).containsExactly(stray);
            assertThat(stray).doesNotExist();
            assertThat(known.resolve("serial.log")).exists();
            assertThat(done.failures()).isEmpty();
        } finally {
            orphan.destroyForcibly();
            keeper.destroyForcibly();
            orphan.waitFor(10, TimeUnit.SECONDS);
            keeper.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void leftoverProcessOfAKnownSandboxIsEndedAtStartWhileItsDirectoryStays() throws Exception {
        Path sandboxes = data.resolve("sandboxes");
        Path known = Files.createDirectories(sandboxes.resolve("known-1"));
        Files.writeString(known.resolve("serial.log"), "k\n");
        Process leftover = tail(known.resolve("serial.log"));
        try {
            awaitCommandLineVisible(leftover, "known-1");

            var killed = Orphans.endLeftoverProcesses(sandboxes);

            assertThat(leftover.waitFor(10, TimeUnit.SECONDS)).as("leftover ended").isTrue();
            assertThat(killed).extracting(Orphans.KilledProcess::pid).containsExactly(leftover.pid());
            assertThat(known.resolve("serial.log")).exists();
        } finally {
            leftover.destroyForcibly();
            leftover.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void removeSandboxDirRemovesOnlyThatSandboxAndNeverEscapesTheSandboxesDirectory() throws Exception {
        Path sandboxes = data.resolve("sandboxes");
        Path gone = Files.createDirectories(sandboxes.resolve("gone-1/sub"));
        Path other = Files.createDirectories(sandboxes.resolve("other-1"));
        Files.writeString(gone.resolve("f"), "x");

        assertThat(Orphans.removeSandboxDir(sandboxes, "gone-1")).isEmpty();
        assertThat(Orphans.removeSandboxDir(sandboxes, "..")).isEmpty();
        assertThat(Orphans.removeSandboxDir(sandboxes, "absent")).isEmpty();

        assertThat(sandboxes.resolve("gone-1")).doesNotExist();
        assertThat(other).exists();
        assertThat(sandboxes).exists();
    }

    @Test
    void missingSandboxesDirectoryIsNothingToDo() {
        Orphans.Cleanup done = Orphans.clean(data.resolve("absent"), Set.of());

        assertThat(done.killed()).isEmpty();
        assertThat(done.removedDirs()).isEmpty();
        assertThat(done.failures()).isEmpty();
    }

    @Test
    void commandLineMatchNeedsTheWholeIdAsADirectorySegment() {
        Path root = Path.of("/data/sandboxes");
        String qemu = "qemu-system-x86_64 -object memory-backend-file,mem-path=/data/sandboxes/ab/mem -qmp unix:/data/sandboxes/ab/qmp.sock";

        assertThat(Orphans.orphanId(qemu, root, Set.of())).contains("ab");
        assertThat(Orphans.orphanId(qemu, root, Set.of("ab"))).isEmpty();
        assertThat(Orphans.orphanId("ls /data/sandboxes/", root, Set.of())).isEmpty();
        assertThat(Orphans.orphanId("ls /data/sandboxes/ab", root, Set.of())).isEmpty();
        assertThat(Orphans.orphanId("cat /data/sandboxes-old/ab/mem", root, Set.of())).isEmpty();
    }

    private static Process tail(Path file) throws IOException {
        return new ProcessBuilder("tail", "-f", file.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** /proc/<pid>/cmdline is filled in once the exec happened; poll for it with a deadline. */
    private static void awaitCommandLineVisible(Process p, String mention) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            Optional<String> cmd = p.toHandle().info().commandLine();
            if (cmd.filter(c -> c.contains(mention)).isPresent()) {
                return;
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("command line of pid " + p.pid() + " never showed " + mention);
    }
}
