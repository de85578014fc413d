package dev.bhatti.server.recovery;

import java.util.Objects;

/** What recovery did with one stored sandbox (SPEC §7). */
public sealed interface RecoveryOutcome {

    /** Nothing to bring back (destroyed sandboxes). */
    record Skipped(String reason) implements RecoveryOutcome {
        public Skipped {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Registered with the engine as cold; the next request wakes it. */
    record RestoredCold() implements RecoveryOutcome {}

    /** Could not be restored; kept and marked unknown so it is never silently lost. */
    record MarkedUnknown(String reason) implements RecoveryOutcome {
        public MarkedUnknown {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
