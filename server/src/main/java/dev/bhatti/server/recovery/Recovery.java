package dev.bhatti.server.recovery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bhatti.api.SandboxStatus;
import dev.bhatti.engine.VmState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles the store with the engine at daemon start (SPEC §7):
 *
 * <table>
 * <tr><th>stored status</th><th>snapshot complete</th><th>result</th></tr>
 * <tr><td>destroyed</td><td>—</td><td>skipped</td></tr>
 * <tr><td>stopped, running</td><td>yes</td><td>restored cold</td></tr>
 * <tr><td>stopped, running</td><td>no</td><td>marked unknown</td></tr>
 * <tr><td>unknown</td><td>—</td><td>stays unknown (its snapshot may predate later guest work)</td></tr>
 * <tr><td>failed</td><td>—</td><td>stays failed (registered when its VM state is readable)</td></tr>
 * <tr><td>any but destroyed, no VM state</td><td>—</td><td>create interrupted: marked failed, its leftovers removed</td></tr>
 * <tr><td>any but destroyed, unreadable VM state</td><td>—</td><td>marked unknown, naming the problem</td></tr>
 * </table>
 *
 * A live sandbox without stored VM state is one whose create never finished (the create stores
 * the VM state before it answers): it is marked failed rather than skipped, which keeps it visible
 * (never silently lost) until its user destroys it (decision 0014).
 * Every parsable state is registered with the engine, complete or not, so an unknown sandbox can
 * still be destroyed or force-started. A failure for one sandbox never stops the others.
 */
public final class Recovery {
    private static final Logger log = LoggerFactory.getLogger(Recovery.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    /** Why a sandbox without stored VM state is failed (also what its view and errors say). */
    public static final String CREATE_INTERRUPTED = "its create was interrupted (the daemon stopped before the "
            + "sandbox was ready); destroy it and create it again";

    private Recovery() {}

    /** Decides, registers and reports every stored sandbox; returns what happened to each. */
    public static RecoveryReport run(List<StoredSandbox> stored, VmStateProvider provider, RecoverySink sink) {
        Map<String, RecoveryOutcome> outcomes = new LinkedHashMap<>();
        for (StoredSandbox s : stored) {
            RecoveryOutcome outcome = decideSafely(s, provider);
            outcomes.put(s.id(), outcome);
            report(s.id(), outcome, sink);
        }
        RecoveryReport r = new RecoveryReport(outcomes);
        log.info("event=recovery_done sandboxes={} restored={} unknown={} failed={} skipped={}", stored.size(),
                r.restored(), r.unknown(), r.failed(), r.skipped());
        return r;
    }

    private static RecoveryOutcome decideSafely(StoredSandbox s, VmStateProvider provider) {
        try {
            return decide(s, provider);
        } catch (RuntimeException e) {
            log.error("event=recovery_failed sandbox={} error=\"{}\"", s.id(), e.getMessage(), e);
            return new RecoveryOutcome.MarkedUnknown("recovery failed: " + e);
        }
    }

    private static RecoveryOutcome decide(StoredSandbox s, VmStateProvider provider) {
        if (s.state() == SandboxStatus.DESTROYED) {
            return new RecoveryOutcome.Skipped("destroyed");
        }
        if (s.vmStateJson() == null || s.vmStateJson().isBlank()) {
            return new RecoveryOutcome.CreateInterrupted(CREATE_INTERRUPTED);
        }
        VmState state;
        try {
            state = parse(s);
        } catch (IllegalArgumentException e) {
            return new RecoveryOutcome.MarkedUnknown(e.getMessage());
        }
        boolean complete = provider.snapshotComplete(state);
        provider.register(state);
        if (s.state() == SandboxStatus.FAILED) {
            return new RecoveryOutcome.StaysFailed("sandbox " + s.id() + " was already failed before the restart");
        }
        if (s.state() == SandboxStatus.UNKNOWN) {
            return new RecoveryOutcome.MarkedUnknown("sandbox " + s.id() + " was already unknown before the restart");
        }
        return complete ? new RecoveryOutcome.RestoredCold()
                : new RecoveryOutcome.MarkedUnknown("snapshot of sandbox " + s.id()
                        + " is incomplete (device state, memory or root disk missing or empty)");
    }

    /** JSON text → VmState; numbers may come back as any numeric type. */
    private static VmState parse(StoredSandbox s) {
        Map<String, Object> map;
        try {
            map = JSON.readValue(s.vmStateJson(), MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("VM state JSON of sandbox " + s.id() + " is malformed: "
                    + e.getOriginalMessage());
        }
        if (map == null) {
            throw new IllegalArgumentException("VM state JSON of sandbox " + s.id() + " is null");
        }
        VmState state;
        try {
            state = VmState.fromMap(map);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("VM state of sandbox " + s.id() + " is invalid: " + e.getMessage());
        }
        if (!state.id().equals(s.id())) {
            throw new IllegalArgumentException("VM state stored for sandbox " + s.id() + " names sandbox " + state.id());
        }
        return state;
    }

    private static void report(String id, RecoveryOutcome outcome, RecoverySink sink) {
        try {
            switch (outcome) {
                case RecoveryOutcome.Skipped k -> log.info("event=recovery_skipped sandbox={} reason={}", id, k.reason());
                case RecoveryOutcome.RestoredCold r -> {
                    log.info("event=recovery_restored sandbox={} thermal=cold", id);
                    sink.restoredCold(id);
                }
                case RecoveryOutcome.CreateInterrupted c -> {
                    log.warn("event=recovery_create_interrupted sandbox={} reason=\"{}\"", id, c.reason());
                    sink.createInterrupted(id, c.reason());
                }
                case RecoveryOutcome.StaysFailed f -> log.warn("event=recovery_failed_kept sandbox={} reason=\"{}\"", id,
                        f.reason());
                case RecoveryOutcome.MarkedUnknown u -> {
                    log.warn("event=recovery_unknown sandbox={} reason=\"{}\"", id, u.reason());
                    sink.markedUnknown(id, u.reason());
                }
            }
        } catch (RuntimeException e) {
            log.error("event=recovery_sink_failed sandbox={} outcome={} error=\"{}\"", id, outcome, e.getMessage(), e);
        }
    }
}
