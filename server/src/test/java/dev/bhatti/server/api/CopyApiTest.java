package dev.bhatti.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bhatti.api.ErrorCode;
import dev.bhatti.api.model.Checkpoint;
import dev.bhatti.api.model.LifecycleEvent;
import dev.bhatti.api.model.SandboxSpec;
import dev.bhatti.api.model.SandboxView;
import dev.bhatti.sdk.Bhatti;
import dev.bhatti.sdk.BhattiException;
import dev.bhatti.sdk.Sandbox;
import dev.bhatti.server.store.Limits;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Forks and checkpoints through the API and the SDK, on real VMs (decision 0022). The parent runs
 * a counter process; a copy that kept the parent's memory keeps counting from where it was.
 */
class CopyApiTest {
    private static final String COUNTER = "setsid sh -c 'i=0; while true; do i=$((i+1)); echo \"$$ $i\" > /workspace/n.new; "
            + "mv /workspace/n.new /workspace/n; sleep 0.1; done' > /dev/null 2>&1 < /dev/null &";
    private static DaemonFixture fx;
    private static Bhatti admin;
    private static Sandbox parent;

    @BeforeAll
    static void start() throws Exception {
        fx = new DaemonFixture();
        admin = fx.client(fx.newUser("copier", new Limits(20, 4, 4096, 1 << 20)));
        parent = admin.sandboxes().create(SandboxSpec.builder().name("origin").env(Map.of("TEAM", "red")).build());
        parent.exec("sh", "-c", COUNTER);
        counter(parent, 3);
    }

    @AfterAll
    static void stop() throws Exception {
        fx.close();
    }

    /** The counter's pid and count once it reached {@code atLeast}. */
    private static long[] counter(Sandbox sb, long atLeast) {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            last = sb.exec("sh", "-c", "cat /workspace/n 2>/dev/null").stdout().strip();
            String[] f = last.split(" ");
            if (f.length == 2 && Long.parseLong(f[1]) >= atLeast) {
                return new long[] {Long.parseLong(f[0]), Long.parseLong(f[1])};
            }
            LockSupport.parkNanos(100_000_000);
        }
        throw new AssertionError("the counter of " + sb.ref() + " did not reach " + atLeast + "; last: " + last);
    }

    @Test
    void aForkIntoThreeAnswersThreeRunningCopiesThatKeepTheParentsProcessAndOutliveIt() throws Exception {
        Sandbox p = admin.sandboxes().create(SandboxSpec.builder().name("elder").build());
        p.exec("sh", "-c", COUNTER);
        long[] before = counter(p, 2);
        List<Sandbox> kids = p.fork(3, null);
        assertThat(kids).extracting(k -> k.view().name()).containsExactly("elder-fork-1", "elder-fork-2", "elder-fork-3");
        assertThat(kids).extracting(k -> k.view().createdFrom()).containsOnly("fork");
        assertThat(kids).extracting(k -> k.view().status()).containsOnly("running");
        for (Sandbox k : kids) {
            long[] now = counter(k, before[1] + 2);
            assertThat(now[0]).as("the parent's process runs on in " + k.ref()).isEqualTo(before[0]);
            assertThat(k.exec("hostname").stdout()).isEqualTo(k.view().name() + "\n");
        }
        assertThat(counter(p, before[1] + 2)[0]).as("the parent runs on").isEqualTo(before[0]);
        kids.get(0).exec("sh", "-c", "echo mine > /workspace/only-1");
        for (Sandbox other : List.of(p, kids.get(1), kids.get(2))) {
            assertThat(other.exec("sh", "-c", "test -e /workspace/only-1 && echo present || echo absent").stdout())
                    .isEqualTo("absent\n");
        }
        assertThat(p.fork(1, null).getFirst().view().name()).as("the lowest free number").isEqualTo("elder-fork-4");
        p.destroy();
        long[] orphan = counter(kids.get(1), 0);
        assertThat(counter(kids.get(1), orphan[1] + 2)[0]).as("a child outlives its parent").isEqualTo(before[0]);
        kids.forEach(Sandbox::destroy);
        admin.sandboxes().named("elder-fork-4").destroy();
    }

    @Test
    void aNamedForkKeepsTheEnvTheParentWasMadeWith() {
        Sandbox kid = parent.fork(1, "named-kid").getFirst();
        assertThat(kid.view().name()).isEqualTo("named-kid");
        assertThat(kid.exec("sh", "-c", "echo $TEAM").stdout()).isEqualTo("red\n");
        assertThatThrownBy(() -> parent.fork(1, "named-kid")).isInstanceOfSatisfying(BhattiException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.NAME_CONFLICT));
        kid.destroy();
    }

    @Test
    void aCheckpointRollsFilesAndAKilledProcessBackAndANewSandboxCanBeMadeFromIt() throws Exception {
        Sandbox s = parent.fork(1, "roller").getFirst();
        s.exec("sh", "-c", "echo v1 > /workspace/doc; sync");
        long pid = counter(s, 0)[0];
        Checkpoint cp = s.checkpoint("before");
        assertThat(cp.name()).isEqualTo("before");
        assertThat(cp.id()).matches("cp-[0-9a-f]{12}");
        assertThat(cp.sizeBytes()).isPositive();
        assertThat(s.checkpoints()).extracting(Checkpoint::id).containsExactly(cp.id());
        assertThatThrownBy(() -> s.checkpoint("before")).isInstanceOfSatisfying(BhattiException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.NAME_CONFLICT));
        s.exec("sh", "-c", "echo v2 > /workspace/doc; kill " + pid + "; sync");
        SandboxView back = s.restore("before");
        assertThat(back.status()).isEqualTo("running");
        assertThat(s.exec("cat", "/workspace/doc").stdout()).isEqualTo("v1\n");
        long[] again = counter(s, 0);
        assertThat(again[0]).as("the killed process is back").isEqualTo(pid);
        assertThat(counter(s, again[1] + 2)[0]).isEqualTo(pid);
        assertThatThrownBy(() -> s.restore("nope")).isInstanceOfSatisfying(BhattiException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.CHECKPOINT_NOT_FOUND));

        Sandbox made = admin.sandboxes().create(SandboxSpec.builder().name("from-before").checkpoint(cp.id()).build());
        assertThat(made.view().createdFrom()).isEqualTo("checkpoint");
        assertThat(made.exec("sh", "-c", "cat /workspace/doc; hostname").stdout()).isEqualTo("v1\nfrom-before\n");

        var story = EventsSeen.until(admin, "roller", e -> e.type().equals("restored"), Duration.ofSeconds(30));
        assertThat(story).extracting(LifecycleEvent::type).containsSubsequence("created", "checkpointed", "restored");
        assertThat(story.getFirst().detail()).isEqualTo("fork of origin");
        assertThat(EventsSeen.until(admin, "from-before", e -> true, Duration.ofSeconds(30)).getFirst())
                .extracting(LifecycleEvent::type, LifecycleEvent::detail).containsExactly("created", "from checkpoint " + cp.id());
        assertThat(EventsSeen.until(admin, "origin", e -> e.type().equals("forked") && e.detail().startsWith("into roller"),
                Duration.ofSeconds(30)).getLast().cause()).isEqualTo("api");

        s.deleteCheckpoint("before");
        assertThat(s.checkpoints()).isEmpty();
        assertThatThrownBy(() -> s.deleteCheckpoint("before")).isInstanceOfSatisfying(BhattiException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.CHECKPOINT_NOT_FOUND));
        s.destroy();
        made.destroy();
    }

    @Test
    void anotherUserCannotSeeForkOrUseACheckpoint() {
        Checkpoint cp = parent.checkpoint("private");
        Bhatti other = fx.client(fx.newUser("mallory", Limits.DEFAULT));
        assertThatThrownBy(() -> other.sandboxes().named(parent.view().id()).fork(1, null))
                .isInstanceOfSatisfying(BhattiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SANDBOX_NOT_FOUND));
        assertThatThrownBy(() -> other.sandboxes().create(SandboxSpec.builder().checkpoint(cp.id()).build()))
                .isInstanceOfSatisfying(BhattiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CHECKPOINT_NOT_FOUND));
        parent.deleteCheckpoint(cp.id());
    }

    @Test
    void copiesOfASandboxWithVolumesGetTheirOwnEphemeralVolumeAndShareItsReadOnlyOne() {
        admin.volumes().create("deps", 16);
        Sandbox writer = admin.sandboxes().create(SandboxSpec.builder().name("deps-writer")
                .volumes(List.of(new SandboxSpec.VolumeRef("deps", "/deps", false))).build());
        writer.exec("sh", "-c", "echo library > /deps/lib.txt");
        writer.destroy(); // ended without unmounting: what it wrote may be only in the volume's journal
        Sandbox v = admin.sandboxes().create(SandboxSpec.builder().name("with-vols")
                .volumes(List.of(new SandboxSpec.VolumeRef("deps", "/deps", true)))
                .newVolumes(List.of(new SandboxSpec.NewVolume("scratch", 16, "/scratch"))).build());
        v.exec("sh", "-c", "echo parent > /scratch/mine");
        String read = "cat /scratch/mine /deps/lib.txt 2>&1";
        assertThat(v.exec("sh", "-c", read).stdout()).isEqualTo("parent\nlibrary\n");
        List<Sandbox> kids = v.fork(2, null);
        for (Sandbox k : kids) {
            assertThat(k.exec("sh", "-c", read).stdout()).isEqualTo("parent\nlibrary\n");
        }
        kids.get(0).exec("sh", "-c", "echo child > /scratch/mine && sync");
        assertThat(v.exec("sh", "-c", read).stdout()).as("the parent's volume is its own").isEqualTo("parent\nlibrary\n");
        assertThat(kids.get(1).exec("sh", "-c", read).stdout()).isEqualTo("parent\nlibrary\n");
        assertThat(kids.get(1).exec("sh", "-c", "touch /deps/y 2>&1; true").stdout()).contains("Read-only file system");
        assertThat(admin.volumes().get("deps").attachments()).extracting(a -> a.sandboxId())
                .containsExactlyInAnyOrder(v.view().id(), kids.get(0).view().id(), kids.get(1).view().id());

        Checkpoint cp = v.checkpoint("vols");
        v.exec("sh", "-c", "echo changed > /scratch/mine");
        v.restore(cp.id());
        assertThat(v.exec("sh", "-c", read).stdout()).as("the ephemeral volume rolls back").isEqualTo("parent\nlibrary\n");
        Sandbox made = admin.sandboxes().create(SandboxSpec.builder().name("from-vols").checkpoint(cp.id()).build());
        assertThat(made.exec("sh", "-c", read).stdout()).isEqualTo("parent\nlibrary\n");
        made.stop();
        made.start();
        assertThat(made.exec("sh", "-c", read).stdout()).as("after a cold stop/start").isEqualTo("parent\nlibrary\n");

        for (Sandbox s : List.of(kids.get(0), kids.get(1), made, v)) {
            s.destroy();
        }
        assertThat(admin.volumes().get("deps").attachments()).isEmpty();
        admin.volumes().delete("deps");
    }

    @Test
    void aSandboxWithAPersistentVolumeAttachedReadWriteIsNotCopiedAndNothingIsLeft() {
        admin.volumes().create("work", 16);
        Sandbox v = admin.sandboxes().create(SandboxSpec.builder().name("with-rw")
                .volumes(List.of(new SandboxSpec.VolumeRef("work", "/work", false))).build());
        int before = admin.sandboxes().list().size();
        assertThatThrownBy(() -> v.fork(2, null)).isInstanceOfSatisfying(BhattiException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.COPY_UNSUPPORTED);
            assertThat(e.getMessage()).contains("work").contains("read-write");
        });
        assertThatThrownBy(() -> v.checkpoint(null)).isInstanceOfSatisfying(BhattiException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.COPY_UNSUPPORTED));
        assertThat(admin.sandboxes().list()).hasSize(before);
        assertThat(admin.volumes().get("work").attachments()).hasSize(1);
        v.destroy();
        admin.volumes().delete("work");
    }

    @Test
    void forksAndCheckpointsCountAgainstTheUsersQuotas() throws Exception {
        long imageMb = java.nio.file.Files.size(dev.bhatti.engine.qemu.GuestImages.fromCache().rootfs()) >> 20;
        Bhatti limited = fx.client(fx.newUser("frugal", new Limits(2, 4, 4096, 2 * (int) imageMb + 256)));
        Sandbox s = limited.sandboxes().create(SandboxSpec.builder().name("lone").build());
        assertThatThrownBy(() -> s.fork(2, null)).isInstanceOfSatisfying(BhattiException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.QUOTA_EXCEEDED));
        assertThat(limited.sandboxes().list()).extracting(SandboxView::name).containsExactly("lone");
        assertThatThrownBy(() -> s.checkpoint(null)).isInstanceOfSatisfying(BhattiException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.STORAGE_QUOTA_EXCEEDED));
        assertThat(s.checkpoints()).isEmpty();
        s.destroy();
    }
}
