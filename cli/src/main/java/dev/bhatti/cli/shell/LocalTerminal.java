package dev.bhatti.cli.shell;

import java.io.Console;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/**
 * This process's side of the shell: stdin and stdout as raw bytes (unbuffered, never closed),
 * plus what only a real terminal has: raw mode, a size and window-change notices. {@link #close}
 * puts the terminal back as it was.
 */
sealed interface LocalTerminal extends AutoCloseable permits RawTty, PipedStreams {

    /** Rows and columns of the local window. */
    record WindowSize(int rows, int cols) {}

    /** A raw-mode terminal when stdin and stdout are both terminals, else plain streams. */
    static LocalTerminal open() throws IOException {
        Console console = System.console();
        return console != null && console.isTerminal() ? RawTty.open() : new PipedStreams();
    }

    default InputStream input() {
        return new FileInputStream(FileDescriptor.in);
    }

    default OutputStream output() {
        return new FileOutputStream(FileDescriptor.out);
    }

    /** The window size; empty when there is no window (the daemon's default applies). */
    Optional<WindowSize> size();

    /** Runs {@code action} after every change of the window size. */
    void onResize(Runnable action);

    /** Restores the terminal; safe to call more than once. */
    @Override
    void close();
}
