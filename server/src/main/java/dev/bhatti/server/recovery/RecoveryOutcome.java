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

    /**
     * Its create never finished (no VM state was ever stored: the daemon died between reserving the
     * row and recording the VM): marked {@code failed}; whatever it left (VMM, directory, volume
     * attachments) is removed (decision 0014).
     */
    record CreateInterrupted(String reason) implements RecoveryOutcome {
        public CreateInterrupted {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Was {@code failed} before the restart and stays so; registered, so it can be started or destroyed. */
    record StaysFailed(String reason) implements RecoveryOutcome {
        public StaysFailed {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Could not be restored; kept and marked unknown so it is never silently lost. */
    record MarkedUnknown(String reason) implements RecoveryOutcome {
        public MarkedUnknown {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
