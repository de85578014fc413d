package dev.bhatti.server.thermal;

import dev.bhatti.engine.Engine;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves idle sandboxes hot → warm → cold (SPEC §5). Every cycle looks at each target once, in
 * parallel (one virtual thread per sandbox, so a slow or failing one never holds up the others):
 *
 * <ul>
 * <li>{@code keep_hot}: never paused or snapshotted; woken when not hot (the first cycle runs at
 *     {@link #start()}, so keep_hot sandboxes are woken when the daemon starts).</li>
 * <li>hot, held ({@link ActivityCache#hold}) or touched within {@code warmAfter}: skipped without
 *     asking the agent.</li>
 * <li>hot otherwise: the agent is asked; an attached session or in-guest activity within
 *     {@code warmAfter} keeps it hot, else it is paused. After 10 failed agent queries in a row it
 *     is paused anyway.</li>
 * <li>warm and idle (since the later of host and last known guest activity) for {@code coldAfter}:
 *     stopped, and reported with {@link ThermalTargets#recordCold}.</li>
 * <li>cold: left alone. Nothing but keep_hot wakes a sandbox.</li>
 * </ul>
 *
 * A failed transition (pause, stop or wake) leaves the sandbox where it was and is retried next
 * cycle; after 3 failures in a row the sandbox is marked unknown, and a later success marks it
 * running again.
 */
public final class ThermalManager implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ThermalManager.class);

    private final SandboxThermal.Context cx;
    private final Clock clock;
    private final Map<String, SandboxThermal> sandboxes = new ConcurrentHashMap<>();
    private final ReentrantLock cycle = new ReentrantLock();
    private final Object schedulerLock = new Object();
    private ScheduledExecutorService scheduler;

    public ThermalManager(Engine engine, ThermalTargets targets, ActivityCache activity, ThermalConfig config,
                          Clock clock) {
        this.cx = new SandboxThermal.Context(Objects.requireNonNull(engine, "engine"),
                Objects.requireNonNull(targets, "targets"), Objects.requireNonNull(activity, "activity"),
                Objects.requireNonNull(config, "config"));
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Runs a cycle now and then every {@code interval} on a background thread, until {@link #close()}. */
    public void start() {
        synchronized (schedulerLock) {
            if (scheduler != null) {
                throw new IllegalStateException("thermal manager already started");
            }
            scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("thermal").daemon().factory());
            long every = cx.config().interval().toMillis();
            scheduler.scheduleWithFixedDelay(this::runLogged, 0, every, TimeUnit.MILLISECONDS);
        }
        log.info("event=thermal_started interval_ms={} warm_after_ms={} cold_after_ms={}",
                cx.config().interval().toMillis(), cx.config().warmAfter().toMillis(), cx.config().coldAfter().toMillis());
    }

    /** One whole cycle over every target, synchronously; cycles never overlap. */
    public void runOnce() {
        cycle.lock();
        try {
            // one visit per id, even if the daemon listed an id twice
            Map<String, ThermalTargets.Target> targets = cx.targets().targets().stream()
                    .collect(Collectors.toMap(ThermalTargets.Target::id, t -> t, (a, b) -> a, LinkedHashMap::new));
            sandboxes.keySet().retainAll(targets.keySet());
            Instant now = clock.instant();
            try (ExecutorService each = Executors.newVirtualThreadPerTaskExecutor()) {
                for (ThermalTargets.Target t : targets.values()) {
                    SandboxThermal s = sandboxes.computeIfAbsent(t.id(), id -> new SandboxThermal(id, cx, now));
                    each.submit(() -> dev.bhatti.server.events.Cause.THERMAL.run(() -> visit(s, t, now)));
                }
            }
        } finally {
            cycle.unlock();
        }
    }

    private static void visit(SandboxThermal s, ThermalTargets.Target t, Instant now) {
        try {
            s.visit(t.keepHot(), now);
        } catch (RuntimeException e) {
            log.error("event=thermal_visit_failed sandbox={} error=\"{}\"", t.id(), e.getMessage(), e);
        }
    }

    private void runLogged() {
        try {
            runOnce();
        } catch (RuntimeException e) {
            log.error("event=thermal_cycle_failed error=\"{}\"", e.getMessage(), e);
        }
    }

    /** Stops the background cycle, letting a running one finish (up to 30 s). */
    @Override
    public void close() {
        ScheduledExecutorService s;
        synchronized (schedulerLock) {
            s = scheduler;
            scheduler = null;
        }
        if (s == null) {
            return;
        }
        s.shutdown();
        try {
            if (!s.awaitTermination(30, TimeUnit.SECONDS)) {
                s.shutdownNow();
                log.warn("event=thermal_close_timeout");
            }
        } catch (InterruptedException e) {
            s.shutdownNow();
            Thread.currentThread().interrupt();
        }
        log.info("event=thermal_stopped");
    }
}
