package dev.bhatti.api;

/**
 * One line of a streamed exec ({@code Accept: application/x-ndjson}): output as it is written,
 * then exactly one {@link Exit} or {@link Error}, which ends the stream.
 */
public sealed interface ExecEvent {
    /** {@code {"type":"stdout","data":"..."}}: bytes the command wrote to stdout (UTF-8). */
    record Stdout(String data) implements ExecEvent {}

    /** {@code {"type":"stderr","data":"..."}}. */
    record Stderr(String data) implements ExecEvent {}

    /** {@code {"type":"exit","exit_code":N}}: the command ended with this code. */
    record Exit(int exitCode) implements ExecEvent {}

    /**
     * {@code {"type":"error","code":"...","data":"..."}}: the exec could not finish (the sandbox
     * stopped under it, its agent went away); whether the command ran is unknown.
     */
    record Error(ErrorCode code, String message) implements ExecEvent {}
}
