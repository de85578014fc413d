package dev.bhatti.engine;

import dev.bhatti.api.ErrorCode;

/**
 * Every engine failure, with the API error code it means for a caller. Messages say what was
 * attempted on which sandbox and why.
 */
public sealed class EngineException extends RuntimeException {
    private final ErrorCode code;

    private EngineException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    /** No sandbox with that id. */
    public static final class NotFound extends EngineException {
        public NotFound(String id) {
            super(ErrorCode.SANDBOX_NOT_FOUND, "sandbox " + id + " not found", null);
        }
    }

    /** A VM-touching operation on a VM that is warm or cold; call ensureHot first. */
    public static final class NotHot extends EngineException {
        public NotHot(String id, Thermal thermal) {
            super(ErrorCode.SANDBOX_NOT_HOT, "sandbox " + id + " is " + thermal.name().toLowerCase() + ", not hot", null);
        }
    }

    /** The snapshot cannot be restored; later starts fail fast until a forced start. */
    public static final class SnapshotUnusable extends EngineException {
        public SnapshotUnusable(String id, String reason) {
            super(ErrorCode.SNAPSHOT_UNUSABLE, "sandbox " + id + ": snapshot unusable: " + reason, null);
        }
    }

    /** The VMM failed: did not start, died, or refused a command. */
    public static final class VmmFailed extends EngineException {
        public VmmFailed(String message, Throwable cause) {
            super(ErrorCode.VMM_FAILED, message, cause);
        }
    }

    /**
     * The sandbox's VMM exited while nobody asked it to (crash, SIGKILL): its processes and memory
     * are gone, its disk is kept. Requests fail with this until {@link Engine#start} brings it back.
     */
    public static final class VmmDied extends EngineException {
        private final String reason;

        public VmmDied(String id, String reason) {
            super(ErrorCode.SANDBOX_FAILED, "sandbox " + id + ": " + reason, null);
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
            super(ErrorCode.INVALID_REQUEST, message, null);
        }
    }

    /** The sandbox's VM cannot be copied (forked, checkpointed): devices a copy cannot carry. */
    public static final class CopyUnsupported extends EngineException {
        public CopyUnsupported(String message) {
            super(ErrorCode.COPY_UNSUPPORTED, message, null);
        }
    }

    /** No checkpoint with that id in the engine's store. */
    public static final class CheckpointNotFound extends EngineException {
        public CheckpointNotFound(String id) {
            super(ErrorCode.CHECKPOINT_NOT_FOUND, "checkpoint " + id + " not found", null);
        }
    }

    /** Bridge networking has no address (or no user subnet) left to hand out. */
    public static final class PoolExhausted extends EngineException {
        public PoolExhausted(String message) {
            super(ErrorCode.IP_POOL_EXHAUSTED, message, null);
        }
    }
}
