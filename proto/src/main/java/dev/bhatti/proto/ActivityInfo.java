package dev.bhatti.proto;

/**
 * ACTIVITY_RESP payload.
 *
 * @param lastActivityUnix unix seconds of the last exec/attach, file read/write or STDIN frame
 * @param activeSessions   sessions whose process has not exited
 * @param attachedSessions sessions with a client connected
 */
public record ActivityInfo(long lastActivityUnix, int activeSessions, int attachedSessions) {}
