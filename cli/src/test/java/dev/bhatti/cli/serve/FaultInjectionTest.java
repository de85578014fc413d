package dev.bhatti.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bhatti.sdk.ConnectionException;
import dev.bhatti.sdk.Raw;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The daemon as a real process, halted ({@code BHATTI_FAULT_POINT}, exit 137 without shutdown
 * hooks, like SIGKILL) in the middle of create, stop, start and destroy, then restarted on the
 * same data dir (decision 0014). After every restart: each sandbox is listed and either usable
 * (exec answers) or marked {@code failed}/{@code unknown} with a reason; the file written through
 * the API before the fault reads back; DELETE leaves no QEMU and no {@code sandboxes/<id>/}.
 * One data dir serves all points (two full boots in all); every QEMU of it is killed at the end.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultInjectionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEPT = "acknowledged before the fault\n";
    private Path root;
    private DaemonProcess daemon;
    private String key;

    @BeforeAll
    void keeperWithAnAcknowledgedFile() throws Exception {
        root = Files.createTempDirectory("bhatti-fault-test-");
        daemon = new DaemonProcess(root);
        daemon.start();
        key = daemon.adminKey();
        assertThat(daemon.post(key, "/sandboxes", "{\"name\":\"keeper\"}").status()).isEqualTo(201);
        Raw.Response put = daemon.raw(key).send("PUT", "/sandboxes/keeper/files?path=/workspace/kept", Map.of(),
                KEPT.getBytes(StandardCharsets.UTF_8));
        assertThat(put.status()).as(put.text()).isEqualTo(200);
    }

    @AfterAll
    void killEverything() throws Exception {
        try {
            daemon.close();
        } finally {
            try (Stream<Path> all = Files.walk(root)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    @Test
    @Order(1)
    void createHaltedAfterTheRowIsReservedLeavesAFailedSandboxThatDeletesCleanly() throws Exception {
        crash("create.after_reserve", () -> daemon.post(key, "/sandboxes", "{\"name\":\"reserved\"}"));
        assertFailed("reserved");
        assertEverySandboxAccountedFor();
        assertDeletedCleanly("reserved");
    }

    @Test
    @Order(2)
    void createHaltedAfterTheVmStartedLeavesNoQemuAndStartAnswersByNameLikeGet() throws Exception {
        crash("create.after_vm_start", () -> daemon.post(key, "/sandboxes", "{\"name\":\"booted\"}"));
        String id = id("booted");
        assertThat(vmmsOf(id)).as("the QEMU of the interrupted create is ended at restart").isEmpty();
        assertFailed("booted");
        Raw.Response start = daemon.post(key, "/sandboxes/booted/start", "{}");
        assertThat(start.status()).as(start.text()).isEqualTo(409);
        assertThat(json(start.text())).containsEntry("code", "sandbox_failed");
        assertThat((String) json(start.text()).get("error")).contains("booted").contains("interrupted");
        assertEverySandboxAccountedFor();
        assertDeletedCleanly("booted");
    }

    @Test
    @Order(3)
    void createWithAVolumeHaltedAfterTheAttachmentIsStoredFreesTheVolume() throws Exception {
        Raw.Response vol = daemon.post(key, "/volumes", "{\"name\":\"shared\",\"size_mb\":16}");
        assertThat(vol.status()).as(vol.text()).isEqualTo(201);
        crash("create.after_volume_attached", () -> daemon.post(key, "/sandboxes",
                "{\"name\":\"withvol\",\"volumes\":[{\"name\":\"shared\",\"mount\":\"/data\"}]}"));
        assertFailed("withvol");
        assertThat(json(daemon.get(key, "/volumes/shared").text()))
                .as("the failed create holds no attachment").containsEntry("status", "available");
        assertEverySandboxAccountedFor();
        assertDeletedCleanly("withvol");
    }

    @Test
    @Order(4)
    void stopHaltedAfterTheSnapshotKeepsTheSandboxUsable() throws Exception {
        crash("stop.after_snapshot", () -> {
            wakeKeeper();
            return daemon.post(key, "/sandboxes/keeper/stop", "{}");
        });
        assertEverySandboxAccountedFor();
        assertThat(daemon.post(key, "/sandboxes/keeper/start", "{}").status()).isEqualTo(200);
        assertKept();
    }

    @Test
    @Order(5)
    void startHaltedAfterTheRestoreKeepsTheSandboxUsable() throws Exception {
        assertThat(daemon.post(key, "/sandboxes/keeper/stop", "{}").status()).isEqualTo(200);
        crash("start.after_restore", () -> daemon.post(key, "/sandboxes/keeper/start", "{}"));
        assertEverySandboxAccountedFor();
        assertKept();
    }

    @Test
    @Order(6)
    void startHaltedWhileTheRestoreWaitsForItsStateKeepsTheSnapshotAndTheSandboxUsable() throws Exception {
        assertThat(daemon.post(key, "/sandboxes/keeper/stop", "{}").status()).isEqualTo(200);
        crash("start.restore_began", () -> daemon.post(key, "/sandboxes/keeper/start", "{}"));
        assertThat(vmmsOf(id("keeper"))).as("the half-restored QEMU is ended at restart").isEmpty();
        assertEverySandboxAccountedFor();
        assertKept();
    }

    @Test
    @Order(8)
    void forkHaltedAfterTheCaptureLeavesAFailedChildNoQemuAndTheParentUsable() throws Exception {
        crash("fork.after_capture", () -> {
            wakeKeeper();
            return daemon.post(key, "/sandboxes/keeper/fork", "{\"name\":\"kid\"}");
        });
        String kid = id("kid");
        assertThat(vmmsOf(kid)).isEmpty();
        assertFailed("kid");
        assertEverySandboxAccountedFor();
        assertKept();
        assertDeletedCleanly("kid");
    }

    @Test
    @Order(9)
    void checkpointHaltedWhileItsFilesAreWrittenLeavesNoCheckpointAndNoFiles() throws Exception {
        crash("checkpoint.before_rename", () -> daemon.post(key, "/sandboxes/keeper/checkpoints", "{\"name\":\"half\"}"));
        assertNoCheckpoints();
        assertEverySandboxAccountedFor();
        assertKept();
    }

    @Test
    @Order(10)
    void checkpointHaltedBeforeItsRowIsWrittenLeavesNoOrphanedFiles() throws Exception {
        crash("checkpoint.after_files", () -> daemon.post(key, "/sandboxes/keeper/checkpoints", "{\"name\":\"norow\"}"));
        assertNoCheckpoints();
        assertEverySandboxAccountedFor();
    }

    @Test
    @Order(11)
    void restoreHaltedAfterTheVmEndedKeepsTheCheckpointAndTheSandboxStartsAgain() throws Exception {
        Raw.Response cp = daemon.post(key, "/sandboxes/keeper/checkpoints", "{\"name\":\"good\"}");
        assertThat(cp.status()).as(cp.text()).isEqualTo(201);
        crash("checkpoint.restore_began", () -> {
            wakeKeeper();
            return daemon.post(key, "/sandboxes/keeper/restore", "{\"checkpoint\":\"good\"}");
        });
        assertThat(vmmsOf(id("keeper"))).isEmpty();
        assertEverySandboxAccountedFor();
        Raw.Response start = daemon.post(key, "/sandboxes/keeper/start", "{\"force\":true}");
        assertThat(start.status()).as(start.text()).isEqualTo(200);
        assertKept();
        Raw.Response again = daemon.post(key, "/sandboxes/keeper/restore", "{\"checkpoint\":\"good\"}");
        assertThat(again.status()).as("the checkpoint survived: " + again.text()).isEqualTo(200);
        assertKept();
    }

    @Test
    @Order(12)
    void imageSnapshotBuildHaltedLeavesNoQemuAndTheNextStartBuildsItAgain() throws Exception {
        daemon.imageSnapshots(true);
        crash("snapshot.build_booted", () -> {
            while (true) {
                daemon.get(key, "/health");
                java.util.concurrent.locks.LockSupport.parkNanos(200_000_000);
            }
        });
        awaitImageSnapshot();
        assertThat(daemon.vmms().stream().filter(p -> p.info().commandLine().orElse("").contains("/snapshots/")).toList())
                .as("the halted build's QEMU is ended, and the rebuild's ended too").isEmpty();
        assertEverySandboxAccountedFor();
    }

    @Test
    @Order(13)
    void createFromTheImageSnapshotHaltedBeforeItsIdentityLeavesAFailedSandboxThatDeletesCleanly() throws Exception {
        awaitImageSnapshot();
        crash("clone.before_identity", () -> daemon.post(key, "/sandboxes", "{\"name\":\"clone\"}"));
        assertThat(vmmsOf(id("clone"))).as("the clone holding the snapshot's token is ended").isEmpty();
        assertFailed("clone");
        assertEverySandboxAccountedFor();
        assertDeletedCleanly("clone");
        Raw.Response again = daemon.post(key, "/sandboxes", "{\"name\":\"clone2\"}");
        assertThat(again.status()).as(again.text()).isEqualTo(201);
        assertThat(json(again.text())).containsEntry("created_from", "snapshot");
        assertDeletedCleanly("clone2");
    }

    /** Waits until the daemon's image snapshot is complete: a directory under snapshots/ that is neither partial nor spare. */
    private void awaitImageSnapshot() throws Exception {
        Path dir = root.resolve("data/snapshots");
        long deadline = System.nanoTime() + java.time.Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.isDirectory(dir)) {
                try (Stream<Path> all = Files.list(dir)) {
                    List<Path> done = all.filter(p -> !p.getFileName().toString().contains(".")).toList();
                    if (!done.isEmpty() && Files.isRegularFile(done.getFirst().resolve("state"))) {
                        try (Stream<Path> again = Files.list(dir)) {
                            // (a spare clone being laid out, <key>.spare.partial, is the running daemon's work)
                            assertThat(again.filter(p -> p.getFileName().toString().matches("[0-9a-f]+\\.partial")).toList())
                                    .as("no half-built snapshot is left").isEmpty();
                        }
                        return;
                    }
                }
            }
            java.util.concurrent.locks.LockSupport.parkNanos(200_000_000);
        }
        throw new AssertionError("no image snapshot within 3 min:\n" + daemon.log());
    }

    private void assertNoCheckpoints() throws Exception {
        Raw.Response r = daemon.get(key, "/sandboxes/keeper/checkpoints");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.text().strip()).isEqualTo("[]");
        Path dir = root.resolve("data/checkpoints");
        if (Files.isDirectory(dir)) {
            try (Stream<Path> left = Files.list(dir)) {
                assertThat(left.toList()).as("checkpoint files after the restart").isEmpty();
            }
        }
    }

    @Test
    @Order(20)
    void destroyHaltedAfterTheVmStoppedLeavesAMarkedSandboxThatDeletesCleanly() throws Exception {
        String id = id("keeper");
        crash("destroy.after_vm_stopped", () -> {
            wakeKeeper();
            return daemon.delete(key, "/sandboxes/keeper");
        });
        assertThat(vmmsOf(id)).isEmpty();
        assertEverySandboxAccountedFor();
        assertDeletedCleanly("keeper");
        assertThat(list()).isEmpty();
    }

    @FunctionalInterface
    private interface Trigger {
        Raw.Response send() throws Exception;
    }

    /** Restarts the daemon armed at {@code point}, triggers it, checks the halt, restarts unarmed. */
    private void crash(String point, Trigger trigger) throws Exception {
        daemon.killHard();
        daemon.start(point);
        try {
            Raw.Response r = trigger.send();
            throw new AssertionError("the daemon answered " + r.status() + " " + r.text() + " instead of halting at "
                    + point);
        } catch (ConnectionException expected) {
            // the connection died with the daemon
        }
        assertThat(daemon.awaitExit()).as("halted at " + point).isEqualTo(137);
        assertThat(daemon.log()).contains("fault_point_reached point=" + point);
        daemon.start();
    }

    /** Makes the keeper hot in the armed daemon, so the fault operation has a running VMM to work on. */
    private void wakeKeeper() throws Exception {
        Raw.Response r = daemon.post(key, "/sandboxes/keeper/exec", "{\"cmd\":[\"true\"]}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
    }

    private void assertEverySandboxAccountedFor() throws Exception {
        for (Map<String, Object> sb : list()) {
            String name = (String) sb.get("name");
            String status = (String) sb.get("status");
            if (status.equals("failed") || status.equals("unknown")) {
                assertThat((String) sb.get("reason")).as("why " + name + " is " + status).isNotBlank();
            } else {
                Raw.Response r = daemon.post(key, "/sandboxes/" + name + "/exec", "{\"cmd\":[\"true\"]}");
                assertThat(r.status()).as(name + " (" + status + "): " + r.text()).isEqualTo(200);
            }
        }
    }

    private void assertFailed(String name) throws Exception {
        Raw.Response r = daemon.get(key, "/sandboxes/" + name);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(json(r.text())).as(r.text()).containsEntry("status", "failed");
        Raw.Response exec = daemon.post(key, "/sandboxes/" + name + "/exec", "{\"cmd\":[\"true\"]}");
        assertThat(exec.status()).as(exec.text()).isEqualTo(409);
        assertThat(json(exec.text())).containsEntry("code", "sandbox_failed");
    }

    private void assertDeletedCleanly(String name) throws Exception {
        String id = id(name);
        Raw.Response r = daemon.delete(key, "/sandboxes/" + name);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(vmmsOf(id)).as("no QEMU of " + id + " after DELETE").isEmpty();
        assertThat(root.resolve("data/sandboxes").resolve(id)).as("directory of " + id + " after DELETE").doesNotExist();
        assertThat(daemon.get(key, "/sandboxes/" + name).status()).isEqualTo(404);
    }

    private void assertKept() throws Exception {
        Raw.Response r = daemon.get(key, "/sandboxes/keeper/files?path=/workspace/kept");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.text()).isEqualTo(KEPT);
    }

    private List<ProcessHandle> vmmsOf(String id) {
        String dir = root.resolve("data/sandboxes").resolve(id) + "/";
        return daemon.vmms().stream().filter(p -> p.info().commandLine().orElse("").contains(dir)).toList();
    }

    private String id(String name) throws Exception {
        Raw.Response r = daemon.get(key, "/sandboxes/" + name);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return (String) json(r.text()).get("id");
    }

    private List<Map<String, Object>> list() throws Exception {
        Raw.Response r = daemon.get(key, "/sandboxes");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return JSON.readValue(r.text(), new TypeReference<>() {});
    }

    private static Map<String, Object> json(String body) throws Exception {
        return JSON.readValue(body, new TypeReference<>() {});
    }
}
