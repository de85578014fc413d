package dev.bhatti.client;

import dev.bhatti.proto.Frame;
import dev.bhatti.proto.Payloads;
import java.io.IOException;

/** The reading side of a piped exec: STDOUT/STDERR to a listener until EXIT or ERROR. */
final class ExecFrames {
    private ExecFrames() {}

    /**
     * Delivers output frames to {@code listener} until EXIT and returns its code. Unknown frame
     * types are skipped; ERROR is an {@link AgentException}; any other frame, or the connection
     * ending before EXIT, is a protocol error.
     */
    static int pump(AgentConnection conn, ExecListener listener) throws IOException {
        while (true) {
            Frame f = conn.next("exec");
            switch (f.kind().orElseThrow()) {
                case STDOUT -> listener.onStdout(f.payload());
                case STDERR -> listener.onStderr(f.payload());
                case EXIT -> {
                    return Payloads.exit(f.payload());
                }
                default -> throw AgentConnection.unexpected(f, "exec");
            }
        }
    }
}
