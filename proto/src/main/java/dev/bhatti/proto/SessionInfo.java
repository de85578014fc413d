package dev.bhatti.proto;

/**
 * A TTY or piped session as the agent reports it (SESSION_INFO, EXEC_LIST_RESP).
 *
 * @param argv      the command line, joined with spaces
 * @param exitCode  present once the session's process exited
 * @param createdAt unix seconds
 */
public record SessionInfo(String sessionId, String argv, boolean tty, boolean running, Integer exitCode,
                          boolean attached, long createdAt) {
    public SessionInfo {
        if (sessionId == null || sessionId.isEmpty()) {
            throw new IllegalArgumentException("session_id must not be empty");
        }
        argv = argv == null ? "" : argv;
    }
}
