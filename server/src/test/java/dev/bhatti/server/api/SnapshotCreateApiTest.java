package dev.bhatti.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The daemon builds the default shape's image snapshot at start (decision 0021); then a create of
 * that shape restores it and says so, and one the snapshot cannot serve boots and says that.
 */
class SnapshotCreateApiTest {
    private static DaemonFixture fx;

    @BeforeAll
    static void start() throws Exception {
        fx = new DaemonFixture(c -> c.withImageSnapshots(true));
        Path snapshots = fx.daemon.config().dataDir().resolve("snapshots");
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (!built(snapshots) && System.nanoTime() < deadline) {
            LockSupport.parkNanos(200_000_000);
        }
        assertThat(built(snapshots)).as("the image snapshot was built within 3 minutes").isTrue();
    }

    private static boolean built(Path snapshots) throws Exception {
        if (!Files.isDirectory(snapshots)) {
            return false;
        }
        try (Stream<Path> dirs = Files.list(snapshots)) {
            return dirs.anyMatch(d -> !d.getFileName().toString().endsWith(".partial") && Files.exists(d.resolve("token")));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        fx.close();
    }

    private static Map<String, Object> create(String body) throws Exception {
        var r = fx.post(fx.adminKey, "/sandboxes", body);
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        return SandboxApiTest.json(r.text());
    }

    @Test
    void aDefaultCreateRestoresTheSnapshotAndTheSandboxIsItselfWithItsEnvAndFiles() throws Exception {
        Map<String, Object> made = create("{\"name\":\"quick\",\"env\":{\"GREETING\":\"hi\"},"
                + "\"files\":[{\"path\":\"/workspace/hello.txt\",\"content\":\"aGVsbG8K\"}]}");
        assertThat(made).containsEntry("created_from", "snapshot").containsEntry("status", "running");
        var r = fx.post(fx.adminKey, "/sandboxes/quick/exec",
                "{\"cmd\":[\"sh\",\"-c\",\"echo $GREETING; hostname; cat /workspace/hello.txt\"]}");
        assertThat(SandboxApiTest.json(r.text())).containsEntry("stdout", "hi\nquick\nhello\n");
        assertThat(SandboxApiTest.json(fx.get(fx.adminKey, "/sandboxes/quick").text()))
                .containsEntry("created_from", "snapshot");
    }

    @Test
    void aCreateTheSnapshotCannotServeBootsAndSaysSo() throws Exception {
        Map<String, Object> made = create("{\"name\":\"big\",\"disk_size_mb\":4096}");
        assertThat(made).containsEntry("created_from", "boot");
        var r = fx.post(fx.adminKey, "/sandboxes/big/exec", "{\"cmd\":[\"hostname\"]}");
        assertThat(SandboxApiTest.json(r.text())).containsEntry("stdout", "big\n");
    }
}
