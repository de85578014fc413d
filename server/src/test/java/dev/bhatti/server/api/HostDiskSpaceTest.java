package dev.bhatti.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bhatti.sdk.Raw;
import dev.bhatti.server.config.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The host's free space, checked before anything is created: the daemon's data dir is a 64 MiB
 * tmpfs mounted by the test (as root) and unmounted after. Nothing here boots a VM.
 */
class HostDiskSpaceTest {
    private static Path mount;
    private static DaemonFixture fx;

    @BeforeAll
    static void start() throws Exception {
        mount = Files.createTempDirectory("bhatti-tiny-fs-");
        run("mount", "-t", "tmpfs", "-o", "size=64m,mode=0700", "tmpfs", mount.toString());
        try {
            // Reserve: the larger of 8 MiB and 5% (3 MiB) of the 64 MiB filesystem.
            fx = new DaemonFixture(c -> c.withDataDir(mount.resolve("data")).withDisk(new ServerConfig.Disk(51200, 8, 5)));
        } catch (Exception | Error e) {
            stop();
            throw e;
        }
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (fx != null) {
                fx.close();
            }
        } finally {
            run("umount", mount.toString());
            Files.deleteIfExists(mount);
        }
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + ": " + out).isZero();
    }

    private static Map<String, Object> json(Raw.Response r) throws Exception {
        return SandboxApiTest.json(r.text());
    }

    private static long entries(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(Files::isRegularFile).count();
        }
    }

    @Test
    void aVolumeLargerThanTheFreeSpaceLessTheReserveIs507AndCreatesNothing() throws Exception {
        Raw.Response r = fx.post(fx.adminKey, "/volumes", "{\"name\":\"wide\",\"size_mb\":100}");

        assertThat(r.status()).as(r.text()).isEqualTo(507);
        assertThat(json(r)).containsEntry("code", "host_disk_full");
        assertThat((String) json(r).get("error")).contains("100 MiB").contains("free").contains("8 MiB");
        assertThat(fx.get(fx.adminKey, "/volumes").text()).doesNotContain("wide");
        assertThat(entries(fx.daemon.config().dataDir().resolve("volumes"))).isZero();
    }

    @Test
    void aVolumeThatLeavesTheReserveFreeIsCreatedOnTheSameFilesystem() throws Exception {
        Raw.Response r = fx.post(fx.adminKey, "/volumes", "{\"name\":\"narrow\",\"size_mb\":16}");

        assertThat(r.status()).as(r.text()).isEqualTo(201);
        assertThat(fx.delete(fx.adminKey, "/volumes/narrow").status()).isEqualTo(200);
    }

    @Test
    void aSandboxWhoseDisksAndMemoryDoNotFitIs507AndBootsNothing() throws Exception {
        Raw.Response r = fx.post(fx.adminKey, "/sandboxes", "{\"name\":\"nofit\"}");

        assertThat(r.status()).as(r.text()).isEqualTo(507);
        assertThat(json(r)).containsEntry("code", "host_disk_full");
        assertThat((String) json(r).get("error")).contains("MiB").contains("free");
        assertThat(fx.get(fx.adminKey, "/sandboxes").text()).isEqualTo("[]");
        assertThat(entries(fx.daemon.config().dataDir().resolve("sandboxes"))).isZero();
    }
}
