package dev.bhatti.engine.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bhatti.client.ExecListener;
import dev.bhatti.client.ExecStream;
import dev.bhatti.engine.EngineException;
import dev.bhatti.engine.StartedFrom;
import dev.bhatti.engine.Thermal;
import dev.bhatti.engine.VmInfo;
import dev.bhatti.proto.ExecRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Pause, resume, snapshot to disk and restore, with data and running processes, on real VMs. */
class EngineThermalTest {
    private static EngineFixture fx;

    @BeforeAll
    static void start() throws Exception {
        fx = new EngineFixture();
    }

    @AfterAll
    static void stop() throws Exception {
        fx.close();
    }

    @Test
    void pauseMakesItWarmAndRefusesAgentUseUntilResumeOrEnsureHot() throws Exception {
        VmInfo vm = fx.create("warm");
        try {
            fx.engine.pause(vm.id());
            assertThat(fx.engine.status(vm.id()).thermal()).isEqualTo(Thermal.WARM);
            assertThatThrownBy(() -> fx.engine.agent(vm.id())).isInstanceOf(EngineException.NotHot.class)
                    .hasMessageContaining("warm");
            fx.engine.resume(vm.id());
            assertThat(fx.sh(vm.id(), "echo back").stdout()).isEqualTo("back\n");
            fx.engine.pause(vm.id());
            letTimePass(CLOCK_GAP);
            fx.engine.ensureHot(vm.id());
            assertThat(fx.engine.status(vm.id()).thermal()).isEqualTo(Thermal.HOT);
            assertThat(fx.sh(vm.id(), "echo again").stdout()).isEqualTo("again\n");
            assertGuestClockMatchesHost(vm.id());
            assertThat(fx.engine.stopIfWarm(vm.id())).as("a hot sandbox is not stopped by stopIfWarm").isFalse();
            assertThat(fx.engine.status(vm.id()).thermal()).isEqualTo(Thermal.HOT);
            fx.engine.pause(vm.id());
            assertThat(fx.engine.stopIfWarm(vm.id())).isTrue();
            assertThat(fx.engine.status(vm.id()).thermal()).isEqualTo(Thermal.COLD);
        } finally {
            fx.engine.destroy(vm.id());
        }
    }

    @Test
    void stopStartKeepsDataAndARunningProcessAcrossThreeCycles() throws Exception {
        VmInfo vm = fx.create("cold");
        String id = vm.id();
        try {
            fx.engine.agent(id).exec(ExecRequest.builder("sh", "-c",
                    "i=0; while true; do i=$((i+1)); echo $i > /workspace/counter; sleep 0.2; done").detach("/tmp/counter.log").build());
            long before = counter(id);
            for (int cycle = 1; cycle <= 3; cycle++) {
                fx.sh(id, "echo cycle-" + cycle + " >> /workspace/cycles");
                long vmmPid = fx.vmms().getFirst().pid();
                fx.engine.stop(id);
                assertThat(fx.engine.status(id).thermal()).isEqualTo(Thermal.COLD);
                assertThat(ProcessHandle.of(vmmPid).map(ProcessHandle::isAlive).orElse(false))
                        .as("a cold sandbox holds no QEMU process").isFalse();
                letTimePass(CLOCK_GAP);
                fx.engine.ensureHot(id);
                assertGuestClockMatchesHost(id);
                long after = awaitCounterAbove(id, before);
                assertThat(after).as("the counter process kept counting").isGreaterThan(before);
                before = after;
            }
            assertThat(fx.sh(id, "cat /workspace/cycles").stdout()).isEqualTo("cycle-1\ncycle-2\ncycle-3\n");
        } finally {
            fx.engine.destroy(id);
        }
    }

    /** Longer than the tolerance below, so a guest clock that stood still while asleep is caught. */
    private static final Duration CLOCK_GAP = Duration.ofSeconds(3);

    /**
     * Waits for wall-clock time to pass: what is under test is the guest clock after a period
     * asleep, so the period has to be real (this is not waiting for a condition).
     */
    private static void letTimePass(Duration d) {
        long end = System.nanoTime() + d.toNanos();
        for (long left = d.toNanos(); left > 0; left = end - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }

    private static void assertGuestClockMatchesHost(String id) throws Exception {
        long before = System.currentTimeMillis();
        long guest = Long.parseLong(fx.sh(id, "date +%s%3N").stdout().trim());
        long after = System.currentTimeMillis();
        assertThat(guest).as("guest clock (ms) after waking").isBetween(before - 1000, after + 1000);
    }

    @Test
    void corruptSnapshotFailsClearlyThenFastUntilForced() throws Exception {
        VmInfo vm = fx.create("corrupt");
        String id = vm.id();
        Path state = fx.sandboxDir(id).resolve("state");
        try {
            fx.sh(id, "echo kept > /workspace/kept");
            fx.engine.stop(id);
            Path good = Files.copy(state, state.resolveSibling("state.good"));
            Files.write(state, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
            assertThatThrownBy(() -> fx.engine.start(id, false)).isInstanceOf(EngineException.SnapshotUnusable.class)
                    .hasMessageContaining(id).hasMessageContaining("restore failed");
            assertThat(fx.vmms()).as("failed restore leaves no QEMU").isEmpty();
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> fx.engine.start(id, false)).isInstanceOf(EngineException.SnapshotUnusable.class)
                    .hasMessageContaining("force");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
            assertThat(fx.vmms()).as("a marked sandbox does not launch QEMU").isEmpty();
            Files.move(good, state, StandardCopyOption.REPLACE_EXISTING);
            fx.engine.start(id, true);
            assertThat(fx.sh(id, "cat /workspace/kept").stdout()).isEqualTo("kept\n");
        } finally {
            fx.engine.destroy(id);
        }
    }

    /**
     * A stop cuts the host's ends of every agent connection, but the guest's ends are in the
     * snapshot: after the restore they must not keep the agent's 50 control slots (nor their
     * execs' processes), or the restore's own readiness probe and the requests after it are refused
     * (decision 0019: keepalive frees a slot for the probe, RESTORED closes the rest).
     */
    @Test
    void execsAStopCutDoNotFillTheAgentAfterTheRestore() throws Exception {
        VmInfo vm = fx.create("cut");
        String id = vm.id();
        int slots = 50;
        try {
            List<ExecStream> held = new ArrayList<>();
            // Two slots stay free while polling: a poll's slot may not be given back yet when the next poll connects.
            for (int i = 0; i < slots - 2; i++) {
                held.add(fx.engine.agent(id).startExec(ExecRequest.of("sleep", "600"), ExecListener.discarding()));
            }
            awaitGuest(id, "pgrep -c -x sleep", String.valueOf(slots - 2), Duration.ofSeconds(60));
            for (int i = 0; i < 2; i++) {
                held.add(fx.engine.agent(id).startExec(ExecRequest.of("sleep", "600"), ExecListener.discarding()));
            }
            fx.engine.stop(id);
            assertThat(fx.engine.start(id, false)).as("restored with every slot held by a cut connection")
                    .isEqualTo(StartedFrom.SNAPSHOT);
            assertThat(fx.sh(id, "pgrep -c -x sleep || true").stdout().trim())
                    .as("the cut execs are gone once the restore returns (RESTORED closed their connections)").isEqualTo("0");
            assertThat(fx.sh(id, "echo served").stdout()).isEqualTo("served\n");
        } finally {
            fx.engine.destroy(id);
        }
    }

    /** Polls {@code script} in the guest until its trimmed stdout is {@code want}. */
    private static void awaitGuest(String id, String script, String want, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        String last;
        do {
            last = fx.sh(id, script).stdout().trim();
            if (last.equals(want)) {
                return;
            }
            LockSupport.parkNanos(Duration.ofMillis(500).toNanos());
        } while (System.nanoTime() < deadline);
        assertThat(last).as(script + " in the guest after " + within).isEqualTo(want);
    }

    @Test
    void missingSnapshotFileIsNamedInTheError() throws Exception {
        VmInfo vm = fx.create("missing");
        String id = vm.id();
        try {
            fx.engine.stop(id);
            Files.delete(fx.sandboxDir(id).resolve("state"));
            assertThatThrownBy(() -> fx.engine.ensureHot(id)).isInstanceOf(EngineException.SnapshotUnusable.class)
                    .hasMessageContaining(id).hasMessageContaining("missing");
        } finally {
            fx.engine.destroy(id);
        }
    }

    @Test
    void killedQemuIsDetectedWithAClearErrorAndNoHang() throws Exception {
        VmInfo vm = fx.create("sigkill");
        String id = vm.id();
        try {
            ProcessHandle qemu = fx.vmms().getFirst();
            qemu.destroyForcibly();
            qemu.onExit().get();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (fx.engine.status(id).broken().isEmpty() && System.nanoTime() < deadline) {
                LockSupport.parkNanos(10_000_000);
            }
            assertThat(fx.engine.status(id).broken()).get().asString().contains("exited unexpectedly");
            assertThatThrownBy(() -> fx.engine.agent(id).exec(ExecRequest.of("true")))
                    .hasMessageContaining(id);
        } finally {
            fx.engine.destroy(id);
        }
    }

    @Test
    void exportedStateBringsAStoppedSandboxBackInANewEngine() throws Exception {
        VmInfo vm = fx.create("export");
        String id = vm.id();
        fx.sh(id, "echo survived > /workspace/export");
        fx.engine.stop(id);
        var state = dev.bhatti.engine.VmState.fromMap(fx.engine.exportState(id).toMap());
        try (QemuEngine second = new QemuEngine(fx.dataDir, GuestImages.fromCache())) {
            assertThat(second.importState(state).thermal()).isEqualTo(Thermal.COLD);
            second.ensureHot(id);
            assertThat(second.agent(id).exec(ExecRequest.of("cat", "/workspace/export")).stdout()).isEqualTo("survived\n");
            second.destroy(id);
        }
        assertThat(fx.engine.status(id).thermal()).isEqualTo(Thermal.COLD);
        fx.engine.destroy(id);
    }

    @Test
    void importWithoutACompleteSnapshotIsBrokenAndFailsFast() throws Exception {
        VmInfo vm = fx.create("noimport");
        String id = vm.id();
        var state = fx.engine.exportState(id);
        try (QemuEngine second = new QemuEngine(fx.dataDir, GuestImages.fromCache())) {
            assertThat(second.importState(state).broken()).get().asString().contains("missing or empty");
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> second.ensureHot(id)).isInstanceOf(EngineException.SnapshotUnusable.class);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
        } finally {
            fx.engine.destroy(id);
        }
    }

    private static long counter(String id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            String out = fx.sh(id, "cat /workspace/counter 2>/dev/null").stdout().strip();
            if (!out.isEmpty()) {
                return Long.parseLong(out);
            }
            LockSupport.parkNanos(50_000_000);
        }
        throw new AssertionError("counter never started in " + id);
    }

    private static long awaitCounterAbove(String id, long value) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        long now = counter(id);
        while (now <= value && System.nanoTime() < deadline) {
            LockSupport.parkNanos(100_000_000);
            now = counter(id);
        }
        return now;
    }
}
