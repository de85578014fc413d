package dev.bhatti.agent.tty;

import dev.bhatti.agent.activity.Activity;
import dev.bhatti.agent.conn.Connection;
import dev.bhatti.agent.process.Launcher;
import dev.bhatti.proto.ExecKillRequest;
import dev.bhatti.proto.ExecRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;

/** TTY and piped sessions that survive disconnects (SPEC §2.4). */
public final class Sessions implements AutoCloseable {
    /** Sessions whose process runs, and sessions with a client attached. */
    public record Counts(int active, int attached) {}

    public Sessions(Launcher launcher, Activity activity, ScheduledExecutorService timers, int maxSessions,
                    Duration exitedRetention) {}

    public void startInit(String command) {}

    public void create(ExecRequest request, Connection conn) throws IOException {
        conn.tryError("sessions: in progress");
    }

    public void attach(ExecRequest request, Connection conn) throws IOException {
        conn.tryError("session not found");
    }

    public void list(Connection conn) throws IOException {
        conn.out().write(dev.bhatti.proto.FrameType.EXEC_LIST_RESP, "[]".getBytes());
    }

    public void kill(ExecKillRequest request, Connection conn) throws IOException {
        conn.tryError("session not found");
    }

    public Counts counts() {
        return new Counts(0, 0);
    }

    @Override
    public void close() {}
}
