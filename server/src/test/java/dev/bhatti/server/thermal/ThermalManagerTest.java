package dev.bhatti.server.thermal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bhatti.client.Terminal;
import dev.bhatti.engine.Thermal;
import dev.bhatti.proto.ExecRequest;
import dev.bhatti.server.ProbeEngine;
import dev.bhatti.server.RealVms;
import dev.bhatti.server.thermal.ThermalTargets.Target;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The thermal manager on real VMs. One sandbox ({@code sb}) is shared by the tests and made hot
 * before each; idle time passes by moving a clock that otherwise follows real time (the guest's
 * clock), so no test waits for it.
 */
class ThermalManagerTest {
    private static final ThermalConfig CONFIG =
            new ThermalConfig(Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofSeconds(60));
    private static final Duration PAST_WARM = Duration.ofSeconds(20);
    private static final Duration PAST_COLD = Duration.ofMinutes(2);
    private static RealVms vms;
    private static String sb;

    private TestClock clock;
    private ActivityCache activity;
    private ProbeEngine engine;
    private RecordingTargets targets;
    private ThermalManager manager;

    @BeforeAll
    static void boot() throws Exception {
        vms = new RealVms();
        sb = vms.create("thermal").id();
    }

    @AfterAll
    static void shutDown() throws Exception {
        vms.close();
    }

    @BeforeEach
    void hotAndFresh() {
        vms.engine.ensureHot(sb);
        clock = TestClock.followingRealTime();
        activity = new ActivityCache(clock);
        engine = new ProbeEngine(vms.engine);
        targets = new RecordingTargets();
        targets.set(new Target(sb, false));
        manager = new ThermalManager(engine, targets, activity, CONFIG, clock);
    }

    @AfterEach
    void closeManager() {
        manager.close();
    }

    private Thermal thermal(String id) {
        return vms.engine.status(id).thermal();
    }

    @Test
    void idleSandboxGoesHotToWarmToColdAndIsNeverWokenAgain() {
        clock.advance(PAST_WARM);
        manager.runOnce();
        assertThat(thermal(sb)).isEqualTo(Thermal.WARM);

        clock.advance(Duration.ofSeconds(30));
        manager.runOnce();
        assertThat(thermal(sb)).as("warm for less than cold_after").isEqualTo(Thermal.WARM);
        assertThat(targets.cold).isEmpty();

        clock.advance(Duration.ofSeconds(40));
        Instant before = clock.instant();
        manager.runOnce();
        assertThat(thermal(sb)).isEqualTo(Thermal.COLD);
        assertThat(targets.cold.get(sb)).isBetween(before, clock.instant());

        clock.advance(PAST_COLD);
        manager.runOnce();
        assertThat(thermal(sb)).as("only keep_hot sandboxes are woken").isEqualTo(Thermal.COLD);
    }

    @Test
    void recentHostActivityKeepsItHotWithoutAskingTheAgent() {
        activity.touch(sb);
        clock.advance(Duration.ofSeconds(5));

        manager.runOnce();

        assertThat(thermal(sb)).isEqualTo(Thermal.HOT);
        assertThat(engine.agentCalls(sb)).as("agent asked").isZero();

        clock.advance(PAST_WARM);
        manager.runOnce();
        assertThat(engine.agentCalls(sb)).as("asked once the host activity is old").isEqualTo(1);
        assertThat(thermal(sb)).isEqualTo(Thermal.WARM);
    }

    @Test
    void openHoldKeepsItHotAndItsReleaseCountsAsActivity() {
        ActivityCache.Hold websocket = activity.hold(sb);
        clock.advance(PAST_COLD);
        manager.runOnce();
        assertThat(thermal(sb)).isEqualTo(Thermal.HOT);
        assertThat(engine.agentCalls(sb)).isZero();

        websocket.close();
        manager.runOnce();
        assertThat(thermal(sb)).as("released just now").isEqualTo(Thermal.HOT);
        assertThat(engine.agentCalls(sb)).isZero();

        clock.advance(PAST_WARM);
        manager.runOnce();
        assertThat(thermal(sb)).isEqualTo(Thermal.WARM);
    }

    @Test
    void recentWorkInsideTheGuestKeepsItHotWhenTheAgentIsAsked() throws Exception {
        assertThat(vms.engine.agent(sb).exec(ExecRequest.of("true")).exitCode()).isZero();

        manager.runOnce();

        assertThat(engine.agentCalls(sb)).isEqualTo(1);
        assertThat(thermal(sb)).isEqualTo(Thermal.HOT);
        clock.advance(PAST_WARM);
        manager.runOnce();
        assertThat(thermal(sb)).isEqualTo(Thermal.WARM);
    }

    @Test
    void attachedTerminalSessionKeepsItHotUntilItEnds() throws Exception {
        Terminal shell = vms.engine.agent(sb).openTerminal(ExecRequest.builder("bash").tty(24, 80).build());
        try {
            clock.advance(PAST_COLD);
            manager.runOnce();
            assertThat(engine.agentCalls(sb)).isEqualTo(1);
            assertThat(thermal(sb)).as("a terminal is attached").isEqualTo(Thermal.HOT);
        } finally {
            shell.kill();
            shell.close();
        }
        awaitWithCycles(() -> thermal(sb) == Thermal.WARM, "paused once the terminal is gone");
    }

    @Test
    void keepHotSandboxIsNeverPausedAndIsWokenWhenCold() {
        targets.set(new Target(sb, true));
        clock.advance(PAST_COLD);
        manager.runOnce();
        assertThat(thermal(sb)).isEqualTo(Thermal.HOT);
        assertThat(engine.agentCalls(sb)).as("keep_hot needs no agent").isZero();

        vms.engine.stop(sb);
        manager.runOnce();

        assertThat(thermal(sb)).isEqualTo(Thermal.HOT);
    }

    @Test
    void agentFailingTenTimesInARowPausesItAnyway() {
        engine.failNextAgentCalls(sb, 10);
        clock.advance(PAST_WARM);
        for (int cycle = 1; cycle <= 9; cycle++) {
            manager.runOnce();
            assertThat(thermal(sb)).as("after %d failed queries", cycle).isEqualTo(Thermal.HOT);
        }

        manager.runOnce();

        assertThat(thermal(sb)).isEqualTo(Thermal.WARM);
    }

    @Test
    void crashedVmmIsColdAndBrokenAtOnceAndLeftAloneWhileAnotherSandboxStillGoesCold() throws Exception {
        String doomed = vms.create("doomed").id();
        try {
            targets.set(new Target(sb, false), new Target(doomed, false));
            clock.advance(PAST_WARM);
            manager.runOnce();
            assertThat(thermal(doomed)).isEqualTo(Thermal.WARM);
            vms.killVmm(doomed);
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
            while (vms.engine.status(doomed).broken().isEmpty() && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(10_000_000);
            }
            clock.advance(PAST_COLD);

            manager.runOnce();
            assertThat(thermal(sb)).as("the other sandbox in the same cycle").isEqualTo(Thermal.COLD);
            assertThat(thermal(doomed)).as("a dead VMM leaves its sandbox cold").isEqualTo(Thermal.COLD);
            assertThat(vms.engine.status(doomed).broken()).get().asString().contains("exited unexpectedly");
            manager.runOnce();
            manager.runOnce();

            assertThat(targets.unknown).as("nothing to snapshot: the manager leaves it alone").isEmpty();
            assertThat(targets.cold).containsOnlyKeys(sb);
        } finally {
            vms.engine.destroy(doomed);
        }
    }

    @Test
    void stopSucceedingAfterTheSandboxWasMarkedUnknownMarksItRunningAgain() {
        engine.failNextStops(sb, 3);
        clock.advance(PAST_WARM);
        manager.runOnce();
        clock.advance(PAST_COLD);
        for (int cycle = 0; cycle < 3; cycle++) {
            manager.runOnce();
        }
        assertThat(thermal(sb)).isEqualTo(Thermal.WARM);
        assertThat(targets.unknown).containsExactly(sb);

        manager.runOnce();

        assertThat(thermal(sb)).isEqualTo(Thermal.COLD);
        assertThat(targets.running).containsExactly(sb);
        assertThat(targets.cold).containsKey(sb);
    }

    @Test
    void startedManagerTakesAnIdleSandboxColdOnItsOwn() {
        ThermalConfig fast = new ThermalConfig(Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(3));
        try (ThermalManager live = new ThermalManager(engine, targets, new ActivityCache(Clock.systemUTC()), fast,
                Clock.systemUTC())) {
            live.start();
            await(() -> thermal(sb) == Thermal.COLD, Duration.ofSeconds(60), "cold without anyone calling runOnce");
        }
        assertThat(targets.cold).containsKey(sb);
    }

    /** Runs cycles until the condition holds, with a deadline. */
    private void awaitWithCycles(BooleanSupplier condition, String what) {
        await(() -> {
            manager.runOnce();
            return condition.getAsBoolean();
        }, Duration.ofSeconds(20), what);
    }

    private static void await(BooleanSupplier condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not " + what + " within " + timeout);
            }
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
    }
}
