package dev.bhatti.api.model;

import java.util.List;
import java.util.Map;

/**
 * The body of {@code POST /sandboxes/:id/exec}: the command (argv), and optionally its env, cwd,
 * timeout, user ({@code lohar} by default, or {@code root}) and whether it runs detached.
 */
public record ExecRequest(List<String> cmd, Map<String, String> env, String cwd, Integer timeoutSec, Boolean detach,
                          String user) {
    public ExecRequest {
        cmd = cmd == null ? List.of() : List.copyOf(cmd);
    }

    /** The command {@code argv} with every default. */
    public static ExecRequest of(String... argv) {
        return new ExecRequest(List.of(argv), null, null, null, null, null);
    }

    /** This request with an environment. */
    public ExecRequest withEnv(Map<String, String> value) {
        return new ExecRequest(cmd, value, cwd, timeoutSec, detach, user);
    }

    /** This request run in {@code value}. */
    public ExecRequest withCwd(String value) {
        return new ExecRequest(cmd, env, value, timeoutSec, detach, user);
    }

    /** This request with a timeout in seconds. */
    public ExecRequest withTimeoutSec(Integer value) {
        return new ExecRequest(cmd, env, cwd, value, detach, user);
    }

    /** This request run in the background. */
    public ExecRequest withDetach(Boolean value) {
        return new ExecRequest(cmd, env, cwd, timeoutSec, value, user);
    }

    /** This request run as {@code value} ({@code lohar} or {@code root}). */
    public ExecRequest withUser(String value) {
        return new ExecRequest(cmd, env, cwd, timeoutSec, detach, value);
    }
}
