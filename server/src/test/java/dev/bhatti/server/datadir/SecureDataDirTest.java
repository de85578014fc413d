package dev.bhatti.server.datadir;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up repair of a data dir others could read: modes, the kinds reported, links left alone. */
class SecureDataDirTest {
    @TempDir
    Path tmp;

    @Test
    void aMissingDataDirIsCreatedOwnerOnlyWithNothingToReport() throws Exception {
        Path data = tmp.resolve("a/b/data");

        assertThat(DataDirPermissions.secure(data)).isEmpty();

        assertThat(mode(data)).isEqualTo("rwx------");
    }

    @Test
    void groupAndOtherBitsAreRemovedAndReportedOncePerKindOfPath() throws Exception {
        Path data = Files.createDirectory(tmp.resolve("data"));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
        file(data.resolve("state.db"), "rw-r--r--");
        file(data.resolve("age.key"), "rw-------");
        for (String id : new String[] {"sb_1", "sb_2"}) {
            Path sb = dir(data.resolve("sandboxes").resolve(id), "rwxr-xr-x");
            file(sb.resolve("mem"), "rw-r--r--");
            file(sb.resolve("vol-0.ext4"), "rw-rw-rw-");
        }
        Path vols = dir(data.resolve("volumes").resolve("usr_alice"), "rwxrwxrwx");
        file(vols.resolve("data.ext4"), "rwxr-xr-x");
        Path outside = tmp.resolve("outside.txt");
        file(outside, "rw-r--r--");
        Files.createSymbolicLink(data.resolve("link"), outside);

        var fixed = DataDirPermissions.secure(data);

        assertThat(fixed).containsExactlyInAnyOrder(
                new DataDirPermissions.Fixed(".", "0755", "0700", 1),
                new DataDirPermissions.Fixed("state.db", "0644", "0600", 1),
                new DataDirPermissions.Fixed("sandboxes", "0755", "0700", 1),
                new DataDirPermissions.Fixed("sandboxes/<id>", "0755", "0700", 2),
                new DataDirPermissions.Fixed("sandboxes/<id>/mem", "0644", "0600", 2),
                new DataDirPermissions.Fixed("sandboxes/<id>/vol-<n>.ext4", "0666", "0600", 2),
                new DataDirPermissions.Fixed("volumes", "0755", "0700", 1),
                new DataDirPermissions.Fixed("volumes/<user>", "0777", "0700", 1),
                new DataDirPermissions.Fixed("volumes/<user>/<name>.ext4", "0755", "0700", 1));
        assertThat(mode(data.resolve("sandboxes/sb_2/mem"))).isEqualTo("rw-------");
        assertThat(mode(data.resolve("age.key"))).isEqualTo("rw-------");
        assertThat(mode(outside)).as("a link's target is not changed").isEqualTo("rw-r--r--");
        assertThat(DataDirPermissions.secure(data)).as("a second start has nothing to fix").isEmpty();
    }

    private static Path dir(Path p, String mode) throws Exception {
        Files.createDirectories(p);
        for (Path q = p; !q.getFileName().toString().equals("data"); q = q.getParent()) {
            Files.setPosixFilePermissions(q, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
        return p;
    }

    private static void file(Path p, String mode) throws Exception {
        Files.writeString(p, "x");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }
}
