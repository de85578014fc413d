package dev.bhatti.proto;

/**
 * A TTY or piped session as the agent reports it (SESSION_INFO, EXEC_LIST_RESP).
 *
 * @param argv      the command line, joined with spaces
 * @param exitCode  present once the session's process exited
 * @param createdAt unix seconds
 * @param pid       the session's process in the guest
 * @param replayFrom in SESSION_INFO: the output offset of the first byte the stream sends (its
 *                  scrollback replay, then live output); a client adds the bytes it reads to it
 * @param label     the label the session was started with, if any
 */
public record SessionInfo(String sessionId, String argv, boolean tty, boolean running, Integer exitCode,
                          boolean attached, long createdAt, Integer pid, Long replayFrom, String label) {
    public SessionInfo {
        if (sessionId == null || sessionId.isEmpty()) {
            throw new IllegalArgumentException("session_id must not be empty");
        }
        argv = argv == null ? "" : argv;
    }
}
