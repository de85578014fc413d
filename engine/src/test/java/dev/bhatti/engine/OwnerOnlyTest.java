package dev.bhatti.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Owner-only files and directories, and child processes that create only private files. */
class OwnerOnlyTest {
    @TempDir
    Path tmp;

    @Test
    void missingDirectoriesAreCreated0700AndFiles0600BeforeAnythingIsWritten() throws Exception {
        Path dir = OwnerOnly.directories(tmp.resolve("a/b/c"));
        Path file = OwnerOnly.write(dir.resolve("config.json"), "{}".getBytes());

        assertThat(mode(tmp.resolve("a"))).isEqualTo("rwx------");
        assertThat(mode(dir)).isEqualTo("rwx------");
        assertThat(mode(file)).isEqualTo("rw-------");
        assertThat(Files.readString(file)).isEqualTo("{}");
    }

    @Test
    void anExistingFileOthersCouldReadIsMadePrivate() throws Exception {
        Path file = Files.writeString(tmp.resolve("state.mode"), "FULL");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        OwnerOnly.file(file);

        assertThat(mode(file)).isEqualTo("rw-------");
        assertThat(Files.readString(file)).isEqualTo("FULL");
    }

    @Test
    void aChildRunWithTheUmaskCreatesPrivateFilesAndKeepsItsArguments() throws Exception {
        Path file = tmp.resolve("made by child");
        Path dir = tmp.resolve("dir by child");
        Process p = new ProcessBuilder(OwnerOnly.withUmask(List.of("sh", "-c", "touch \"$0\" && mkdir \"$1\"",
                file.toString(), dir.toString()))).inheritIO().start();

        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(mode(file)).isEqualTo("rw-------");
        assertThat(mode(dir)).isEqualTo("rwx------");
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
