package dev.bhatti.engine.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bhatti.client.AgentClient;
import dev.bhatti.client.AgentException;
import dev.bhatti.client.Transport;
import dev.bhatti.engine.Copies;
import dev.bhatti.engine.CreateSpec;
import dev.bhatti.engine.CreatedFrom;
import dev.bhatti.engine.EngineException;
import dev.bhatti.engine.StartedFrom;
import dev.bhatti.engine.VmInfo;
import dev.bhatti.engine.VmState;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Forks and checkpoints (decision 0022) on real VMs. The parent runs a "keeper": a shell whose
 * variable lives only in its memory, which it writes with a counter to /workspace/state every
 * 100 ms, and which takes a new value from /workspace/set.
 */
class EngineCopiesTest {
    private static final String KEEPER = "setsid sh -c 'v=parent; i=0; while true; do "
            + "if [ -f /workspace/set ]; then v=$(cat /workspace/set); rm /workspace/set; fi; "
            + "i=$((i+1)); echo \"$$ $v $i\" > /workspace/state.new; mv /workspace/state.new /workspace/state; sleep 0.1; "
            + "done' > /dev/null 2>&1 < /dev/null &";
    private static EngineFixture fx;
    private static String parent;

    @BeforeAll
    static void start() throws Exception {
        fx = new EngineFixture();
        parent = EngineFixture.newId("parent");
        fx.engine.create(new CreateSpec(parent, parent, 1, 512, null, Map.of("ROLE", "parent"), null, Map.of(), List.of()));
        fx.sh(parent, KEEPER);
        awaitKeeper(parent, 3);
    }

    @AfterAll
    static void stop() throws Exception {
        fx.close();
    }

    /** The keeper's line (pid, value, count) once its count reached at least {@code atLeast}. */
    private static String[] awaitKeeper(String id, int atLeast) throws Exception {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        String[] last = null;
        while (System.nanoTime() < deadline) {
            String out = fx.sh(id, "cat /workspace/state 2>/dev/null").stdout().strip();
            last = out.split(" ");
            if (last.length == 3 && Integer.parseInt(last[2]) >= atLeast) {
                return last;
            }
            LockSupport.parkNanos(100_000_000);
        }
        throw new AssertionError("the keeper of " + id + " did not count to " + atLeast + "; last: " + String.join(" ", last));
    }

    private static Copies.Child child(String prefix) {
        String id = EngineFixture.newId(prefix);
        return new Copies.Child(id, id);
    }

    @Test
    void forkedChildrenKeepTheParentsRunningProcessAndThenLiveApart() throws Exception {
        String[] before = awaitKeeper(parent, 1);
        Copies.Forked forked = fx.engine.fork(parent, List.of(child("kid-a"), child("kid-b")), QemuEngine.DEFAULT_USER);
        assertThat(forked.children()).hasSize(2).allSatisfy(c -> assertThat(c.createdFrom()).isEqualTo(CreatedFrom.FORK));
        String a = forked.children().get(0).id();
        String b = forked.children().get(1).id();
        int counted = Integer.parseInt(before[2]);
        for (String id : List.of(parent, a, b)) {
            String[] now = awaitKeeper(id, counted + 3);
            assertThat(now[0]).as("the same keeper process in " + id).isEqualTo(before[0]);
        }
        fx.sh(a, "echo child-a > /workspace/set; echo only-a > /workspace/mine; sync");
        String[] inA = awaitValue(a, "child-a");
        assertThat(inA[1]).isEqualTo("child-a");
        assertThat(awaitKeeper(parent, 0)[1]).as("the parent's process memory").isEqualTo("parent");
        assertThat(awaitKeeper(b, 0)[1]).as("a sibling's process memory").isEqualTo("parent");
        for (String other : List.of(parent, b)) {
            assertThat(fx.sh(other, "cat /workspace/mine 2>&1 || echo absent").stdout()).contains("absent");
        }
        assertThat(fx.sh(a, "hostname; echo $ROLE").stdout()).as("its name, and the env the parent was made with")
                .isEqualTo(a + "\nparent\n");
        assertThat(fx.sh(parent, "hostname").stdout()).isEqualTo(parent + "\n");
        String machineA = fx.sh(a, "cat /etc/machine-id").stdout();
        assertThat(machineA).isNotEqualTo(fx.sh(b, "cat /etc/machine-id").stdout())
                .isNotEqualTo(fx.sh(parent, "cat /etc/machine-id").stdout());
        String parentToken = fx.engine.exportState(parent).token();
        try (AgentClient withParentsToken = clientWith(a, parentToken)) {
            assertThatThrownBy(withParentsToken::activity).isInstanceOf(AgentException.class).hasMessage("auth required");
        }
        assertThat(fx.sandboxDir(a).resolve(Captures.TOKEN_FILE)).doesNotExist();
    }

    @Test
    void aForkedChildSurvivesAColdStopAndStart() throws Exception {
        String c = fx.engine.fork(parent, List.of(child("kid-cold")), QemuEngine.DEFAULT_USER).children().getFirst().id();
        fx.sh(c, "echo cold > /workspace/set");
        awaitValue(c, "cold");
        fx.engine.stop(c);
        assertThat(fx.engine.start(c, false)).isEqualTo(StartedFrom.SNAPSHOT);
        assertThat(awaitKeeper(c, 0)[1]).isEqualTo("cold");
        assertThat(fx.engine.status(c).createdFrom()).isEqualTo(CreatedFrom.FORK);
    }

    @Test
    void restoringACheckpointBringsBackFilesAndAKilledProcess() throws Exception {
        String s = EngineFixture.newId("rollback");
        fx.engine.fork(parent, List.of(new Copies.Child(s, s)), QemuEngine.DEFAULT_USER);
        fx.sh(s, "echo v1 > /workspace/doc; sync");
        String pid = awaitKeeper(s, 0)[0];
        String cp = EngineFixture.newId("cp");
        Copies.Checkpointed written = fx.engine.checkpoint(s, cp);
        assertThat(written.sizeBytes()).isPositive();
        assertThat(fx.engine.checkpoints()).contains(cp);
        fx.sh(s, "echo v2 > /workspace/doc; kill " + pid + "; sync");
        assertThat(fx.sh(s, "kill -0 " + pid + " 2>&1 || echo gone").stdout()).contains("gone");
        fx.engine.restoreCheckpoint(s, cp);
        assertThat(fx.sh(s, "cat /workspace/doc").stdout()).isEqualTo("v1\n");
        String[] back = awaitKeeper(s, 0);
        assertThat(back[0]).isEqualTo(pid);
        int n = Integer.parseInt(back[2]);
        assertThat(Integer.parseInt(awaitKeeper(s, n + 2)[2])).as("the process runs again").isGreaterThan(n);
    }

    @Test
    void aNewSandboxFromACheckpointHasItsFilesAndItsOwnIdentity() throws Exception {
        fx.sh(parent, "echo at-checkpoint > /workspace/note; sync");
        String cp = EngineFixture.newId("cp-new");
        fx.engine.checkpoint(parent, cp);
        fx.sh(parent, "echo later > /workspace/note; sync");
        Copies.Child c = child("from-cp");
        VmInfo made = fx.engine.createFromCheckpoint(cp, c, QemuEngine.DEFAULT_USER);
        assertThat(made.createdFrom()).isEqualTo(CreatedFrom.CHECKPOINT);
        assertThat(fx.sh(c.id(), "cat /workspace/note; hostname; echo $ROLE").stdout())
                .isEqualTo("at-checkpoint\n" + c.id() + "\nparent\n");
        assertThat(fx.sh(parent, "cat /workspace/note").stdout()).isEqualTo("later\n");
        fx.engine.deleteCheckpoint(cp);
        assertThat(fx.engine.checkpoints()).doesNotContain(cp);
        assertThatThrownBy(() -> fx.engine.createFromCheckpoint(cp, child("gone"), QemuEngine.DEFAULT_USER))
                .isInstanceOf(EngineException.CheckpointNotFound.class);
    }

    @Test
    void aFailedForkLeavesNoChildBehind() {
        Copies.Child taken = new Copies.Child(parent, parent);
        Copies.Child fresh = child("never");
        assertThatThrownBy(() -> fx.engine.fork(parent, List.of(fresh, taken), QemuEngine.DEFAULT_USER))
                .isInstanceOf(EngineException.InvalidSpec.class).hasMessageContaining("already exists");
        assertThat(fx.engine.list()).extracting(VmInfo::id).doesNotContain(fresh.id());
        assertThat(fx.sandboxDir(fresh.id())).doesNotExist();
        assertThat(fx.sandboxDir(parent)).exists();
    }

    private static String[] awaitValue(String id, String value) throws Exception {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            String[] now = awaitKeeper(id, 0);
            if (now[1].equals(value)) {
                return now;
            }
            LockSupport.parkNanos(100_000_000);
        }
        throw new AssertionError("the keeper of " + id + " never took " + value);
    }

    private static AgentClient clientWith(String id, String token) {
        VmState s = fx.engine.exportState(id);
        return new AgentClient(Transport.tcp("127.0.0.1", s.controlPort(), s.forwardPort()), Optional.of(token));
    }
}
