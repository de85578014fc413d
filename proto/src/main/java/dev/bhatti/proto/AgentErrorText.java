package dev.bhatti.proto;

import java.util.Arrays;

/**
 * The agent's {@code ERROR} vocabulary (SPEC §2.3): the texts lohar sends for failures a host
 * tells apart, each with how a message is recognised. The agent builds its messages from these;
 * the host classifies a message in one place ({@code AgentException#kind()} in {@code client}).
 * The texts are wire format: a cached guest image keeps sending them, so they never change.
 */
public enum AgentErrorText {
    /** {@code "start: <reason>"}: the program or its working directory is unusable; no EXIT follows. */
    START("start: ", Match.PREFIX),
    /** {@code "timeout: <argv> exceeded N s"}: the exec's {@code timeout_sec} fired, its group was killed. */
    TIMEOUT("timeout: ", Match.PREFIX),
    /** {@code "internal error: <what>"}: a failure the agent did not expect. */
    INTERNAL("internal error: ", Match.PREFIX),
    /** No shell session with the requested id. */
    SESSION_NOT_FOUND("session not found", Match.EXACT),
    /** The shell session has a client attached and the request asked for a detached one. */
    SESSION_ATTACHED("session is attached", Match.EXACT),
    /** {@code "<path>: no such file or directory"}: a file request named a missing path. */
    NO_SUCH_FILE("no such file or directory", Match.SUFFIX),
    /** The connection did not authenticate, or sent no request before the deadline with a token set. */
    AUTH_REQUIRED("auth required", Match.EXACT),
    /** The agent serves as many connections as it can; this one is over its limit. */
    CONNECTION_LIMIT("connection limit exceeded", Match.EXACT),
    /** No token is set and the connection sent no request before the first-frame deadline. */
    NO_REQUEST("no request within the deadline", Match.EXACT),
    /** {@code "session limit reached (N)"}: a new shell session would be over the agent's limit. */
    SESSION_LIMIT("session limit reached (", Match.PREFIX),
    /** Anything else: the agent refused the request, its message says why. */
    OTHER("", Match.NEVER);

    /** How a message is recognised as this kind. */
    private enum Match { PREFIX, EXACT, SUFFIX, NEVER }

    private final String text;
    private final Match match;

    AgentErrorText(String text, Match match) {
        this.text = text;
        this.match = match;
    }

    /** The text on the wire: the whole message, its prefix or its suffix. */
    public String text() {
        return text;
    }

    /** The message {@code text() + detail}, for a prefix kind. */
    public String with(String detail) {
        return text + detail;
    }

    /** The kind of an agent message; {@link #OTHER} for one not in this vocabulary. */
    public static AgentErrorText of(String message) {
        return Arrays.stream(values()).filter(k -> k.matches(message)).findFirst().orElse(OTHER);
    }

    /** The message without this kind's prefix (a prefix kind), else the message. */
    public String detail(String message) {
        return match == Match.PREFIX && message.startsWith(text) ? message.substring(text.length()) : message;
    }

    private boolean matches(String message) {
        return switch (match) {
            case PREFIX -> message.startsWith(text);
            case EXACT -> message.equals(text);
            case SUFFIX -> message.endsWith(": " + text);
            case NEVER -> false;
        };
    }
}
