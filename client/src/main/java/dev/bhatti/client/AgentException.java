package dev.bhatti.client;

import java.io.IOException;

/**
 * The agent answered with an {@code ERROR} frame; {@link #getMessage()} is its
 * message, verbatim.
 *
 * <p>Two kinds of error are told apart by the message prefix the agent uses
 * (SPEC §2.3); this class is the one place in the client that knows them:
 * {@value #START_PREFIX} (the program could not be started: missing binary or
 * working directory; no EXIT follows) and {@value #TIMEOUT_PREFIX} (the
 * request's {@code timeout_sec} fired and the process group was killed).
 */
public class AgentException extends IOException {
    /** Prefix of the agent's message for a program that cannot be started. */
    public static final String START_PREFIX = "start: ";
    /** Prefix of the agent's message for an exec whose {@code timeout_sec} fired. */
    public static final String TIMEOUT_PREFIX = "timeout: ";

    /**
     * The agent's message when all its authenticated control slots are taken: transient, since
     * connections end (and dead ones are found by keepalive) within seconds.
     */
    public static final String CONNECTION_LIMIT = "connection limit exceeded";

    public AgentException(String message) {
        super(java.util.Objects.requireNonNull(message, "message"));
    }

    /** True when the program could not be started (buffered exec reports exit code 127). */
    public boolean isStartFailure() {
        return getMessage().startsWith(START_PREFIX);
    }

    /** True when the agent refused the connection because its slots were all taken. */
    public boolean isConnectionLimit() {
        return getMessage().equals(CONNECTION_LIMIT);
    }

    /** True when the exec's timeout fired (buffered exec reports exit code 124). */
    public boolean isTimeout() {
        return getMessage().startsWith(TIMEOUT_PREFIX);
    }
}
