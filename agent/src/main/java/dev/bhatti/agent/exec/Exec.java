package dev.bhatti.agent.exec;

import dev.bhatti.agent.activity.Activity;
import dev.bhatti.agent.conn.Connection;
import dev.bhatti.agent.process.Launcher;
import dev.bhatti.proto.ExecRequest;
import java.io.IOException;
import java.util.concurrent.ScheduledExecutorService;

/** One-shot piped exec and detached background exec (SPEC §2.3). */
public final class Exec {
    public Exec(Launcher launcher, Activity activity, ScheduledExecutorService timers, boolean syncBeforeExit) {}

    public void run(ExecRequest request, Connection conn) throws IOException {
        conn.tryError("exec: in progress");
    }

    public void detach(ExecRequest request, Connection conn) throws IOException {
        conn.tryError("exec: in progress");
    }
}
