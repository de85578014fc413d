package dev.bhatti.client;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Outcome of a buffered exec (SPEC §4.2 semantics).
 *
 * @param exitCode    the child's status (128+N when killed by signal N); 127 when the
 *                    program could not start; 124 when the timeout fired
 * @param stdoutBytes captured stdout, plus the truncation marker when it lost bytes
 * @param stderrBytes captured stderr, plus the truncation marker when it lost bytes; the agent's
 *                    reason on a start failure or timeout
 * @param truncated   output went over {@link CappedOutput#DEFAULT_CAP} and the excess was dropped
 * @param timedOut    the request's {@code timeout_sec} fired and the process group was killed
 * @param startFailed the program could not be started (missing binary or working directory)
 */
public record ExecResult(int exitCode, byte[] stdoutBytes, byte[] stderrBytes, boolean truncated,
                         boolean timedOut, boolean startFailed) {
    /** Exit code reported for a program that cannot be started. */
    public static final int START_FAILED_EXIT = 127;
    /** Exit code reported for an exec killed by its timeout. */
    public static final int TIMED_OUT_EXIT = 124;

    public ExecResult {
        stdoutBytes = stdoutBytes.clone();
        stderrBytes = stderrBytes.clone();
    }

    /** Captured stdout decoded as UTF-8. */
    public String stdout() {
        return new String(stdoutBytes, StandardCharsets.UTF_8);
    }

    /** Captured stderr decoded as UTF-8. */
    public String stderr() {
        return new String(stderrBytes, StandardCharsets.UTF_8);
    }

    @Override
    public byte[] stdoutBytes() {
        return stdoutBytes.clone();
    }

    @Override
    public byte[] stderrBytes() {
        return stderrBytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExecResult r && r.exitCode == exitCode && Arrays.equals(r.stdoutBytes, stdoutBytes)
                && Arrays.equals(r.stderrBytes, stderrBytes) && r.truncated == truncated && r.timedOut == timedOut
                && r.startFailed == startFailed;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * exitCode + Arrays.hashCode(stdoutBytes)) + Arrays.hashCode(stderrBytes);
    }

    @Override
    public String toString() {
        return "ExecResult[exitCode=" + exitCode + ", stdout=" + stdoutBytes.length + " bytes, stderr="
                + stderrBytes.length + " bytes, truncated=" + truncated + ", timedOut=" + timedOut
                + ", startFailed=" + startFailed + "]";
    }
}
