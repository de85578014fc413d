package dev.bhatti.server.thermal;

import dev.bhatti.api.ErrorCode;
import dev.bhatti.engine.Engine;
import dev.bhatti.engine.Thermal;
import dev.bhatti.engine.VmInfo;
import dev.bhatti.proto.ActivityInfo;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thermal decisions for one sandbox, and what the manager remembers about it between cycles:
 * the last known in-guest activity and the failure counters. Used by one cycle at a time.
 */
final class SandboxThermal {
    private static final Logger log = LoggerFactory.getLogger(SandboxThermal.class);
    /** Failed transitions in a row after which the sandbox is marked unknown. */
    static final int UNKNOWN_AFTER_FAILURES = 3;
    /** Failed agent queries in a row after which a hot sandbox is paused anyway. */
    static final int PAUSE_AFTER_AGENT_FAILURES = 10;

    /** The collaborators every sandbox's decisions use. */
    record Context(Engine engine, ThermalTargets targets, ActivityCache activity, ThermalConfig config) {}

    private final String id;
    private final Context cx;
    private final Instant trackedSince;
    private Instant guestActivity;
    private int agentFailures;
    private int transitionFailures;
    private boolean markedUnknown;

    SandboxThermal(String id, Context cx, Instant trackedSince) {
        this.id = id;
        this.cx = cx;
        this.trackedSince = trackedSince;
    }

    /** One cycle's look at the sandbox: at most one transition. */
    void visit(boolean keepHot, Instant now) {
        VmInfo info = cx.engine().status(id);
        if (keepHot) {
            if (info.thermal() != Thermal.HOT) {
                transition(info.thermal(), Thermal.HOT, "keep_hot", now, () -> {
                    cx.engine().ensureHot(id);
                    return true;
                });
            }
            return;
        }
        switch (info.thermal()) {
            case HOT -> visitHot(now);
            case WARM -> visitWarm(now);
            case COLD -> { }
        }
    }

    private void visitHot(Instant now) {
        if (cx.activity().held(id)) {
            log.debug("event=thermal_skip sandbox={} reason=held", id);
            return;
        }
        Optional<Instant> host = cx.activity().last(id);
        if (host.isPresent() && Duration.between(host.get(), now).compareTo(cx.config().warmAfter()) < 0) {
            log.debug("event=thermal_skip sandbox={} reason=host_activity", id);
            return;
        }
        Optional<ActivityInfo> guest = askAgent(now);
        String reason = "idle";
        if (guest.isPresent()) {
            if (guest.get().attachedSessions() > 0 || idleFor(now).compareTo(cx.config().warmAfter()) < 0) {
                return;
            }
        } else if (agentFailures < PAUSE_AFTER_AGENT_FAILURES) {
            return;
        } else {
            reason = ErrorCode.AGENT_UNREACHABLE.code(); // the API's word for it, in the log too
        }
        if (transition(Thermal.HOT, Thermal.WARM, reason, now, () -> {
            cx.engine().pause(id);
            return true;
        }) && cx.activity().held(id)) {
            // a request took a hold between the check above and the pause: it may already be past its
            // ensureHot, so wake the sandbox again instead of leaving it stalled
            cx.engine().resume(id);
            log.info("event=thermal_pause_undone sandbox={} reason=held", id);
        }
    }

    private void visitWarm(Instant now) {
        if (cx.activity().held(id) || idleFor(now).compareTo(cx.config().coldAfter()) < 0) {
            return;
        }
        if (transition(Thermal.WARM, Thermal.COLD, "idle", now, () -> cx.engine().stopIfWarm(id))) {
            report("record_cold", () -> cx.targets().recordCold(id, now));
        }
    }

    /** Asks the agent for its activity; a failure is counted and answers empty. */
    private Optional<ActivityInfo> askAgent(Instant now) {
        try {
            ActivityInfo a = cx.engine().agent(id).activity();
            agentFailures = 0;
            // the guest reports whole seconds: count the activity as at the end of its second
            Instant at = Instant.ofEpochSecond(a.lastActivityUnix() + 1);
            Instant seen = at.isAfter(now) ? now : at;
            guestActivity = guestActivity == null || seen.isAfter(guestActivity) ? seen : guestActivity;
            return Optional.of(a);
        } catch (IOException | RuntimeException e) {
            agentFailures++;
            log.warn("event=thermal_agent_failed sandbox={} failures={} error=\"{}\"", id, agentFailures, e.getMessage());
            return Optional.empty();
        }
    }

    /** Idle time: since the later of host and guest activity, or since tracking began when neither is known. */
    private Duration idleFor(Instant now) {
        Instant since = Stream.concat(cx.activity().last(id).stream(), Stream.ofNullable(guestActivity))
                .max(Instant::compareTo).orElse(trackedSince);
        return Duration.between(since, now);
    }

    /** Runs {@code action}; false when it failed (counted) or did nothing (the sandbox was woken meanwhile). */
    private boolean transition(Thermal from, Thermal to, String reason, Instant now, BooleanSupplier action) {
        try {
            if (!action.getAsBoolean()) {
                log.debug("event=thermal_skip sandbox={} reason=woken_meanwhile", id);
                return false;
            }
        } catch (RuntimeException e) {
            failed(from, to, e);
            return false;
        }
        log.info("event=thermal_transition sandbox={} from={} to={} reason={} idle_ms={}", id, name(from), name(to),
                reason, idleFor(now).toMillis());
        transitionFailures = 0;
        if (markedUnknown) {
            markedUnknown = false;
            report("mark_running", () -> cx.targets().markRunning(id));
        }
        return true;
    }

    private void failed(Thermal from, Thermal to, RuntimeException e) {
        transitionFailures++;
        log.warn("event=thermal_transition_failed sandbox={} from={} to={} failures={} error=\"{}\"", id, name(from),
                name(to), transitionFailures, e.getMessage());
        if (transitionFailures >= UNKNOWN_AFTER_FAILURES && !markedUnknown) {
            markedUnknown = true;
            String reason = name(from) + " -> " + name(to) + " failed " + transitionFailures + " times in a row: "
                    + e.getMessage();
            log.error("event=thermal_marked_unknown sandbox={} reason=\"{}\"", id, reason);
            report("mark_unknown", () -> cx.targets().markUnknown(id, reason));
        }
    }

    private void report(String what, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            log.error("event=thermal_report_failed sandbox={} call={} error=\"{}\"", id, what, e.getMessage(), e);
        }
    }

    private static String name(Thermal t) {
        return t.name().toLowerCase(java.util.Locale.ROOT);
    }
}
