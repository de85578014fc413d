package dev.bhatti.proto;

/** EXEC_KILL payload. */
public record ExecKillRequest(String sessionId) {
    public ExecKillRequest {
        if (sessionId == null || sessionId.isEmpty()) {
            throw new IllegalArgumentException("session_id must not be empty");
        }
    }
}
