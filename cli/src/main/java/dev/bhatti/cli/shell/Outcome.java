package dev.bhatti.cli.shell;

/** How a shell connection ended; the first event to happen decides it. */
sealed interface Outcome {
    /** The user pressed the detach key; the session keeps running on the sandbox. */
    record Detached() implements Outcome {}

    /** The shell's process exited: the daemon closed the socket with 1000. */
    record Exited(String reason) implements Outcome {}

    /** The connection broke (abnormal close, I/O error); the session is detached on the daemon. */
    record Lost(String why) implements Outcome {}
}
