package dev.bhatti.client;

import java.io.IOException;

/**
 * Receives a piped exec's output as it arrives, one call per frame (at most
 * 32 KiB each), in order per stream, all before the exit code is returned.
 * Calls come from one thread at a time. An exception thrown here ends the
 * exec: the connection is closed, which makes the agent kill the process group.
 */
public interface ExecListener {
    void onStdout(byte[] data) throws IOException;

    void onStderr(byte[] data) throws IOException;

    /** A listener that drops all output. */
    static ExecListener discarding() {
        return new ExecListener() {
            @Override
            public void onStdout(byte[] data) {}

            @Override
            public void onStderr(byte[] data) {}
        };
    }
}
