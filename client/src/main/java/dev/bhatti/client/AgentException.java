package dev.bhatti.client;

import dev.bhatti.proto.AgentErrorText;
import java.io.IOException;
import java.util.Objects;

/**
 * The agent answered with an {@code ERROR} frame; {@link #getMessage()} is its message, verbatim.
 *
 * <p>{@link #kind()} is the one place on the host that reads an agent message to tell the kinds of
 * failure apart ({@link AgentErrorText}, SPEC §2.3): {@link AgentErrorText#START} (the program could
 * not be started: missing binary or working directory; no EXIT follows), {@link AgentErrorText#TIMEOUT}
 * (the request's {@code timeout_sec} fired and the process group was killed), a missing file or
 * session, an attached session, and the rest.
 */
public class AgentException extends IOException {
    private final AgentErrorText kind;

    public AgentException(String message) {
        super(Objects.requireNonNull(message, "message"));
        this.kind = AgentErrorText.of(message);
    }

    /** What kind of failure the agent reported. */
    public AgentErrorText kind() {
        return kind;
    }

    /** True when the program could not be started (buffered exec reports exit code 127). */
    public boolean isStartFailure() {
        return kind == AgentErrorText.START;
    }

    /**
     * True when the agent refused the connection because its slots were all taken: transient, since
     * connections end (and dead ones are found by keepalive, decision 0019) within seconds.
     */
    public boolean isConnectionLimit() {
        return kind == AgentErrorText.CONNECTION_LIMIT;
    }

    /** True when the exec's timeout fired (buffered exec reports exit code 124). */
    public boolean isTimeout() {
        return kind == AgentErrorText.TIMEOUT;
    }
}
