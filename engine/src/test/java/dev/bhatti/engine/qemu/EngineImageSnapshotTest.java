package dev.bhatti.engine.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bhatti.client.AgentClient;
import dev.bhatti.client.AgentException;
import dev.bhatti.client.Transport;
import dev.bhatti.engine.CreateSpec;
import dev.bhatti.engine.StartedFrom;
import dev.bhatti.engine.VmState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Creates from an image snapshot (decision 0021), on real VMs: each clone is its own machine. */
class EngineImageSnapshotTest {
    private static EngineFixture fx;
    private static Path snapshot;
    private static String snapshotToken;

    @BeforeAll
    static void start() throws Exception {
        fx = new EngineFixture();
        snapshot = fx.engine.prepareImageSnapshot(1, 512);
        snapshotToken = Files.readString(snapshot.resolve(ImageSnapshots.TOKEN_FILE)).strip();
    }

    @AfterAll
    static void stop() throws Exception {
        fx.close();
    }

    private static String create(String prefix, Map<String, String> env) {
        String id = EngineFixture.newId(prefix);
        fx.engine.create(new CreateSpec(id, id, 1, 512, null, env, null,
                Map.of("/etc/clone-note", new CreateSpec.FileSpec("mine\n".getBytes(), "0600")), List.of()));
        return id;
    }

    private static AgentClient clientWith(String id, String token) {
        VmState s = fx.engine.exportState(id);
        return new AgentClient(Transport.tcp("127.0.0.1", s.controlPort(), s.forwardPort()), Optional.of(token));
    }

    @Test
    void twoClonesOfOneSnapshotAreDifferentMachinesWithTheirOwnTokens() throws Exception {
        String a = create("clone-a", Map.of("WHO", "a"));
        String b = create("clone-b", Map.of("WHO", "b"));
        String script = "echo $WHO; hostname; cat /etc/machine-id; head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \\n'; "
                + "echo; cat /etc/clone-note";
        List<String> outA = fx.sh(a, script).stdout().lines().toList();
        List<String> outB = fx.sh(b, script).stdout().lines().toList();
        assertThat(outA.get(0)).isEqualTo("a");
        assertThat(outB.get(0)).isEqualTo("b");
        assertThat(outA.get(1)).isEqualTo(a);
        assertThat(outB.get(1)).isEqualTo(b);
        assertThat(outA.get(2)).matches("[0-9a-f]{32}").isNotEqualTo(outB.get(2));
        assertThat(outA.get(3)).hasSize(32).isNotEqualTo(outB.get(3));
        assertThat(outA.get(4)).isEqualTo("mine");
        String tokenA = fx.engine.exportState(a).token();
        assertThat(tokenA).isNotEqualTo(snapshotToken).isNotEqualTo(fx.engine.exportState(b).token());
        try (AgentClient old = clientWith(a, snapshotToken); AgentClient crossed = clientWith(b, tokenA)) {
            assertThatThrownBy(old::activity).isInstanceOf(AgentException.class).hasMessage("auth required");
            assertThatThrownBy(crossed::activity).isInstanceOf(AgentException.class).hasMessage("auth required");
        }
    }

    @Test
    void aCloneSurvivesAColdStopAndStartWithItsFiles() throws Exception {
        String c = create("clone-cold", Map.of());
        fx.sh(c, "echo kept > /workspace/f && sync");
        fx.engine.stop(c);
        assertThat(fx.engine.start(c, false)).isEqualTo(StartedFrom.SNAPSHOT);
        assertThat(fx.sh(c, "cat /workspace/f; hostname").stdout()).isEqualTo("kept\n" + c + "\n");
    }

    @Test
    void theSnapshotsFilesAreReadOnlyAndACloneLeavesThemUnchanged() throws Exception {
        long before = Files.size(snapshot.resolve("root.qcow2"));
        String d = create("clone-disk", Map.of());
        fx.sh(d, "head -c 4000000 /dev/urandom > /workspace/big && sync");
        assertThat(Files.size(snapshot.resolve("root.qcow2"))).isEqualTo(before);
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(snapshot.resolve("mem")))).isEqualTo("r--------");
    }

    @Test
    void aCreateTakesTheReadySpareCloneAndANewSpareIsLaidOutForTheNext() throws Exception {
        Path spare = snapshot.resolveSibling(snapshot.getFileName() + ".spare");
        awaitFile(spare.resolve("spare-ready"));
        String e = create("clone-spare", Map.of("WHO", "e"));
        assertThat(fx.sh(e, "echo $WHO").stdout()).isEqualTo("e\n");
        assertThat(fx.sandboxDir(e).resolve("spare-ready")).doesNotExist();
        awaitFile(spare.resolve("spare-ready"));
        assertThat(spare.resolve("mem")).exists();
    }

    @Test
    void aCreateWithVolumesRestoresTheSnapshotAndMountsThemInItsEmptySlots() throws Exception {
        Path deps = fx.dataDir.resolve("deps-" + System.nanoTime() + ".ext4");
        Path content = Files.createDirectories(fx.dataDir.resolve("deps-content-" + System.nanoTime()));
        Files.writeString(content.resolve("lib.txt"), "shared library\n");
        Process mkfs = new ProcessBuilder("mkfs.ext4", "-q", "-F", "-d", content.toString(), deps.toString(), "16M")
                .redirectErrorStream(true).start();
        assertThat(mkfs.waitFor()).as(new String(mkfs.getInputStream().readAllBytes())).isZero();
        byte[] depsBefore = Files.readAllBytes(deps);
        String id = EngineFixture.newId("clone-vol");
        var info = fx.engine.create(new CreateSpec(id, id, 1, 512, null, Map.of(), null, Map.of(), List.of(
                new CreateSpec.VolumeSpec(null, "/data", false, 64), new CreateSpec.VolumeSpec(deps, "/deps", true, 0))));
        assertThat(info.createdFrom()).isEqualTo(dev.bhatti.engine.CreatedFrom.SNAPSHOT);
        String out = fx.sh(id, "echo written > /data/f && cat /data/f; cat /deps/lib.txt; "
                + "awk '$2==\"/deps\"{split($4,o,\",\"); print \"deps-\" o[1]}' /proc/mounts; "
                + "df -m /data | tail -1 | awk '{print ($2 > 50)}'").stdout();
        assertThat(out).isEqualTo("written\nshared library\ndeps-ro\n1\n");
        fx.engine.stop(id);
        assertThat(fx.engine.start(id, false)).isEqualTo(StartedFrom.SNAPSHOT);
        assertThat(fx.sh(id, "cat /data/f /deps/lib.txt").stdout()).isEqualTo("written\nshared library\n");

        String kid = EngineFixture.newId("clone-vol-kid");
        var forked = fx.engine.fork(id, List.of(new dev.bhatti.engine.Copies.Child(kid, kid)), QemuEngine.DEFAULT_USER);
        assertThat(forked.children()).hasSize(1);
        assertThat(fx.sh(kid, "cat /data/f /deps/lib.txt; echo kid > /data/f; sync").stdout())
                .as("a fork keeps its parent's volumes in their slots").isEqualTo("written\nshared library\n");
        assertThat(fx.sh(id, "cat /data/f").stdout()).as("the child's ephemeral volume is a copy").isEqualTo("written\n");
        assertThat(fx.sandboxDir(kid).resolve("vol-0.ext4")).exists();
        assertThat(Files.readAllBytes(deps)).as("a read-only volume is never written").isEqualTo(depsBefore);
    }

    @Test
    void aCheckpointOfACloneHoldsOnlyWhatChangedSinceTheSnapshotAndRollsBackMemoryAndDisk() throws Exception {
        String id = create("clone-cp", Map.of());
        fx.sh(id, "setsid sh -c 'echo $$ > /workspace/keeper; v=before; while :; do echo $v > /workspace/v; "
                + "sleep 0.2; done' > /dev/null 2>&1 < /dev/null & echo kept > /workspace/f");
        String keeper = fx.sh(id, "until test -s /workspace/keeper; do sleep 0.05; done; cat /workspace/keeper").stdout();
        String cpId = "cp-" + id;
        var written = fx.engine.checkpoint(id, cpId);
        Path cp = fx.dataDir.resolve("checkpoints").resolve(cpId);
        long disks = allocated(cp.resolve("root.qcow2")) + allocated(cp.resolve("config.ext4"));
        assertThat(written.changedMemoryBytes()).as("a clone has its image snapshot as its memory's base").isPositive();
        assertThat(written.sizeBytes()).as("memory changed since the snapshot + its disk layer and config drive + 1 MiB")
                .isLessThanOrEqualTo(written.changedMemoryBytes() + disks + (1 << 20));
        assertThat(cp.resolve("mem")).doesNotExist();

        fx.sh(id, "kill $(cat /workspace/keeper); rm /workspace/f; head -c 8000000 /dev/urandom > /dev/shm/junk");
        fx.engine.restoreCheckpoint(id, cpId);
        assertThat(fx.sh(id, "cat /workspace/f; cat /workspace/keeper; kill -0 $(cat /workspace/keeper) && echo alive; "
                + "test -e /dev/shm/junk || echo no-junk").stdout()).isEqualTo("kept\n" + keeper + "alive\nno-junk\n");
        String made = EngineFixture.newId("clone-cp-made");
        fx.engine.createFromCheckpoint(cpId, new dev.bhatti.engine.Copies.Child(made, made), QemuEngine.DEFAULT_USER);
        assertThat(fx.sh(made, "cat /workspace/f; kill -0 $(cat /workspace/keeper) && echo alive").stdout())
                .isEqualTo("kept\nalive\n");
        fx.engine.deleteCheckpoint(cpId);
    }

    private static long allocated(Path file) {
        String[] f = Tools.run("stat", List.of("stat", "-c", "%b %B", file.toString())).strip().split(" ");
        return Long.parseLong(f[0]) * Long.parseLong(f[1]);
    }

    private static void awaitFile(Path file) {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
        while (!Files.exists(file) && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(50_000_000);
        }
        assertThat(file).as("laid out within 60 s").exists();
    }
}
