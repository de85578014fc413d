package dev.bhatti.cli.shell;

import java.util.Optional;

/** stdin or stdout is not a terminal (a script, a pipe): bytes pass as they are; nothing to restore. */
record PipedStreams() implements LocalTerminal {
    @Override
    public Optional<WindowSize> size() {
        return Optional.empty();
    }

    @Override
    public void onResize(Runnable action) {
        // no window, so it never changes
    }

    @Override
    public void close() {
        // nothing was changed
    }
}
