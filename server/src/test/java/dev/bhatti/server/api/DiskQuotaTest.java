package dev.bhatti.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bhatti.sdk.Raw;
import dev.bhatti.server.store.Limits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Root disks against the per-sandbox maximum and the user's one storage quota (root disks and
 * volumes together): refusals are answered before anything is created, so only the create within
 * limits boots a VM.
 */
class DiskQuotaTest {
    private static DaemonFixture fx;

    @BeforeAll
    static void start() throws Exception {
        fx = new DaemonFixture();
    }

    @AfterAll
    static void stop() throws Exception {
        if (fx != null) {
            fx.close();
        }
    }

    private static Map<String, Object> json(Raw.Response r) throws Exception {
        return SandboxApiTest.json(r.text());
    }

    private static long sandboxDirs() throws Exception {
        Path dir = fx.daemon.config().dataDir().resolve("sandboxes");
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> all = Files.list(dir)) {
            return all.count();
        }
    }

    @Test
    void aRootDiskOverThePerSandboxMaximumIs400AndCreatesNothing() throws Exception {
        String key = fx.newUser("greedy", Limits.DEFAULT);
        long dirsBefore = sandboxDirs();

        Raw.Response r = fx.post(key, "/sandboxes", "{\"name\":\"huge\",\"disk_size_mb\":1048576}");

        assertThat(r.status()).as(r.text()).isEqualTo(400);
        assertThat(json(r)).containsEntry("code", "disk_too_large");
        assertThat((String) json(r).get("error")).contains("1048576").contains("51200");
        assertThat(fx.get(key, "/sandboxes").text()).isEqualTo("[]");
        assertThat(sandboxDirs()).isEqualTo(dirsBefore);
    }

    @Test
    void aRootDiskThatWithTheUsersVolumesExceedsTheStorageQuotaIs429AndCreatesNothing() throws Exception {
        String key = fx.newUser("tight", new Limits(5, 4, 4096, 2000));
        assertThat(fx.post(key, "/volumes", "{\"name\":\"cache\",\"size_mb\":1500}").status()).isEqualTo(201);
        long dirsBefore = sandboxDirs();

        Raw.Response r = fx.post(key, "/sandboxes", "{\"name\":\"over\",\"disk_size_mb\":1024}");

        assertThat(r.status()).as(r.text()).isEqualTo(429);
        assertThat(json(r)).containsEntry("code", "storage_quota_exceeded");
        assertThat((String) json(r).get("error")).contains("1500").contains("1024").contains("2000");
        assertThat(fx.get(key, "/sandboxes").text()).isEqualTo("[]");
        assertThat(sandboxDirs()).isEqualTo(dirsBefore);
    }

    @Test
    void aCreateWithinTheQuotaBootsAndItsRootDiskThenCountsAgainstNewVolumes() throws Exception {
        String key = fx.newUser("fits", new Limits(5, 4, 4096, 2000));

        Raw.Response created = fx.post(key, "/sandboxes", "{\"name\":\"fits\"}");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        Raw.Response df = fx.post(key, "/sandboxes/fits/exec", "{\"cmd\":[\"df\",\"-m\",\"/\"]}");
        assertThat(df.status()).as(df.text()).isEqualTo(200);

        Raw.Response volume = fx.post(key, "/volumes", "{\"name\":\"big\",\"size_mb\":1500}");

        assertThat(volume.status()).as(volume.text()).isEqualTo(429);
        assertThat(json(volume)).containsEntry("code", "storage_quota_exceeded");
        assertThat((String) json(volume).get("error")).contains("768").contains("1500").contains("2000");
        assertThat(fx.get(key, "/volumes").text()).isEqualTo("[]");
        assertThat(fx.delete(key, "/sandboxes/fits").status()).isEqualTo(200);
        assertThat(fx.post(key, "/volumes", "{\"name\":\"big\",\"size_mb\":1500}").status())
                .as("the root disk's share is free again once its sandbox is destroyed").isEqualTo(201);
    }
}
