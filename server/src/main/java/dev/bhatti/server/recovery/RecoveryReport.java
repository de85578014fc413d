package dev.bhatti.server.recovery;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** The outcome of one recovery pass, per sandbox id in the order the store gave them. */
public record RecoveryReport(Map<String, RecoveryOutcome> outcomes) {

    public RecoveryReport {
        Objects.requireNonNull(outcomes, "outcomes");
        outcomes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(outcomes));
    }

    public long skipped() {
        return count(RecoveryOutcome.Skipped.class);
    }

    public long restored() {
        return count(RecoveryOutcome.RestoredCold.class);
    }

    /** Interrupted creates and sandboxes that were already failed. */
    public long failed() {
        return count(RecoveryOutcome.CreateInterrupted.class) + count(RecoveryOutcome.StaysFailed.class);
    }

    public long unknown() {
        return count(RecoveryOutcome.MarkedUnknown.class);
    }

    public RecoveryOutcome outcome(String id) {
        RecoveryOutcome o = outcomes.get(id);
        if (o == null) {
            throw new IllegalArgumentException("no recovery outcome for sandbox " + id);
        }
        return o;
    }

    private long count(Class<? extends RecoveryOutcome> kind) {
        return outcomes.values().stream().filter(kind::isInstance).count();
    }
}
