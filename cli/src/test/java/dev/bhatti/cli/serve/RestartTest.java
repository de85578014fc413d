package dev.bhatti.cli.serve;

import dev.bhatti.api.model.ExecRequest;
import dev.bhatti.api.model.SandboxSpec;
import dev.bhatti.sdk.Bhatti;
import dev.bhatti.sdk.Sandbox;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The daemon as a real process, killed and restarted (SPEC §7): after SIGKILL the running sandbox
 * answers again with its counter process still counting; after SIGTERM every sandbox is cold
 * (no QEMU left) and usable after the restart; forks and checkpoints survive a SIGKILL too.
 */
class RestartTest {
    private DaemonProcess daemon;

    @BeforeEach
    void start() throws Exception {
        daemon = DaemonProcess.inTempDir("bhatti-restart-test-");
    }

    @AfterEach
    void stop() throws Exception {
        daemon.closeAndRemove();
    }

    /** Writes through a rename, so a snapshot or a read never sees the file truncated but empty. */
    private static final String COUNTER = "i=0; while true; do i=$((i+1)); echo $i > /workspace/.counter;"
            + " mv /workspace/.counter /workspace/counter; sleep 0.2; done";

    private Bhatti api(String key) {
        return Bhatti.connect("http://127.0.0.1:" + daemon.port, key);
    }

    private long counter(String key) {
        return counter(api(key).sandboxes().named("counter"));
    }

    private static long counter(Sandbox sb) {
        return Long.parseLong(sb.exec("cat", "/workspace/counter").stdout().trim());
    }

    private long awaitCounterAbove(String key, long floor) throws Exception {
        return awaitCounterAbove(api(key).sandboxes().named("counter"), floor);
    }

    private static long awaitCounterAbove(Sandbox sb, long floor) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        long now = counter(sb);
        while (now <= floor && System.nanoTime() < deadline) {
            LockSupport.parkNanos(200_000_000);
            now = counter(sb);
        }
        return now;
    }

    @Test
    void sandboxSurvivesADaemonKilledWithSigkillWithItsProcessStillCounting() throws Exception {
        daemon.start();
        String key = daemon.adminKey();
        Sandbox counter = api(key).sandboxes().create(SandboxSpec.builder().name("counter").build());
        assertThat(counter.existing()).isFalse();
        counter.execDetached(ExecRequest.of("sh", "-c",
                COUNTER));
        long before = awaitCounterAbove(key, 0);

        daemon.killHard();
        Duration recovery = daemon.start();
        System.out.println("restart after SIGKILL: healthy in " + recovery.toMillis() + " ms");

        assertThat(daemon.vmms()).as("the orphaned VMM was snapshotted and ended").isEmpty();
        assertThat(api(key).sandboxes().get("counter").view().thermal()).isEqualTo("cold");
        long after = awaitCounterAbove(key, before);
        assertThat(after).as("the counter kept its value and keeps counting").isGreaterThan(before);
        assertThat(awaitCounterAbove(key, after)).isGreaterThan(after);
    }

    @Test
    void sigtermSnapshotsEverySandboxAndAllAreUsableAfterRestart() throws Exception {
        daemon.start();
        String key = daemon.adminKey();
        for (String name : new String[] {"one", "two"}) {
            Sandbox sb = api(key).sandboxes().create(SandboxSpec.builder().name(name).build());
            assertThat(sb.exec("sh", "-c", "echo kept-" + name + " > /workspace/f").exitCode()).isZero();
        }
        assertThat(daemon.terminate()).isIn(0, 143);
        assertThat(daemon.vmms()).as("no QEMU after graceful shutdown").isEmpty();

        Duration recovery = daemon.start();
        System.out.println("restart after SIGTERM: healthy in " + recovery.toMillis() + " ms");
        for (String name : new String[] {"one", "two"}) {
            Sandbox sb = api(key).sandboxes().get(name);
            assertThat(sb.view().thermal()).isEqualTo("cold");
            assertThat(sb.exec("cat", "/workspace/f").stdout()).isEqualTo("kept-" + name + "\n");
        }
    }

    @Test
    void forkedChildrenAndCheckpointsSurviveADaemonKilledWithSigkill() throws Exception {
        daemon.start();
        Bhatti api = api(daemon.adminKey());
        Sandbox parent = api.sandboxes().create(SandboxSpec.builder().name("counter").build());
        parent.execDetached(ExecRequest.of("sh", "-c",
                COUNTER));
        long counted = awaitCounterAbove(parent, 0);
        java.util.List<Sandbox> kids = parent.fork(2, null);
        var cp = parent.checkpoint("kept");
        parent.exec("sh", "-c", "echo after-checkpoint > /workspace/mark");

        daemon.killHard();
        daemon.start();
        api = api(daemon.adminKey());

        assertThat(daemon.vmms()).as("every orphaned VMM was snapshotted and ended").isEmpty();
        for (Sandbox kid : kids) {
            Sandbox back = api.sandboxes().get(kid.view().id());
            assertThat(back.view().createdFrom()).isEqualTo("fork");
            assertThat(awaitCounterAbove(back, counted)).as("the parent's process keeps counting in " + back.ref())
                    .isGreaterThan(counted);
            assertThat(back.exec("hostname").stdout()).isEqualTo(back.view().name() + "\n");
        }
        Sandbox after = api.sandboxes().get("counter");
        assertThat(after.checkpoints()).extracting(c -> c.name()).containsExactly("kept");
        after.restore(cp.id());
        assertThat(after.exec("sh", "-c", "cat /workspace/mark 2>/dev/null || echo none").stdout())
                .as("rolled back to before the mark").isEqualTo("none\n");
        Sandbox made = api.sandboxes().create(SandboxSpec.builder().name("from-kept").checkpoint(cp.id()).build());
        assertThat(made.view().createdFrom()).isEqualTo("checkpoint");
        assertThat(awaitCounterAbove(made, counted)).isGreaterThan(counted);
    }
}
