package dev.bhatti.engine;

/**
 * Every engine failure, with a stable code for callers to branch on. Messages say what was
 * attempted on which sandbox and why.
 */
public sealed class EngineException extends RuntimeException {
    private final String code;

    private EngineException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public String code() {
        return code;
    }

    /** No sandbox with that id. */
    public static final class NotFound extends EngineException {
        public NotFound(String id) {
            super("sandbox_not_found", "sandbox " + id + " not found", null);
        }
    }

    /** A VM-touching operation on a VM that is warm or cold; call ensureHot first. */
    public static final class NotHot extends EngineException {
        public NotHot(String id, Thermal thermal) {
            super("sandbox_not_hot", "sandbox " + id + " is " + thermal.name().toLowerCase() + ", not hot", null);
        }
    }

    /** The snapshot cannot be restored; later starts fail fast until a forced start. */
    public static final class SnapshotUnusable extends EngineException {
        public SnapshotUnusable(String id, String reason) {
            super("snapshot_unusable", "sandbox " + id + ": snapshot unusable: " + reason, null);
        }
    }

    /** The VMM failed: did not start, died, or refused a command. */
    public static final class VmmFailed extends EngineException {
        public VmmFailed(String message, Throwable cause) {
            super("vmm_failed", message, cause);
        }
    }

    /**
     * The sandbox's VMM exited while nobody asked it to (crash, SIGKILL): its processes and memory
     * are gone, its disk is kept. Requests fail with this until {@link Engine#start} brings it back.
     */
    public static final class VmmDied extends EngineException {
        private final String reason;

        public VmmDied(String id, String reason) {
            super("vmm_died", "sandbox " + id + ": " + reason, null);
            this.reason = reason;
        }

        /** What happened, without the sandbox id (first line: the exit; then log tails). */
        public String reason() {
            return reason;
        }
    }

    /** Invalid create or operation arguments. */
    public static final class InvalidSpec extends EngineException {
        public InvalidSpec(String message) {
            super("invalid_spec", message, null);
        }
    }

    /** Bridge networking has no address (or no user subnet) left to hand out. */
    public static final class PoolExhausted extends EngineException {
        public PoolExhausted(String message) {
            super("ip_pool_exhausted", message, null);
        }
    }
}
