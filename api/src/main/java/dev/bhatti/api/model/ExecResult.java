package dev.bhatti.api.model;

/** A buffered exec's answer; {@code truncated} when output went over the cap. */
public record ExecResult(int exitCode, String stdout, String stderr, Boolean truncated) {
    public ExecResult {
        stdout = stdout == null ? "" : stdout;
        stderr = stderr == null ? "" : stderr;
    }
}
