package dev.bhatti.agent.exec;

import dev.bhatti.agent.activity.Activity;
import dev.bhatti.agent.conn.Connection;
import dev.bhatti.agent.posix.Child;
import dev.bhatti.agent.posix.FdAction;
import dev.bhatti.agent.posix.OpenMode;
import dev.bhatti.agent.process.Launcher;
import dev.bhatti.agent.process.StartException;
import dev.bhatti.proto.DetachResult;
import dev.bhatti.proto.ExecRequest;
import dev.bhatti.proto.FrameType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One-shot piped exec and detached background exec (SPEC §2.3). */
public final class Exec {
    private static final Logger log = LoggerFactory.getLogger(Exec.class);

    private final Launcher launcher;
    private final Activity activity;
    private final ScheduledExecutorService timers;
    private final AtomicLong detached = new AtomicLong();

    public Exec(Launcher launcher, Activity activity, ScheduledExecutorService timers) {
        this.launcher = launcher;
        this.activity = activity;
        this.timers = timers;
    }

    /**
     * Runs the command with piped stdin/stdout/stderr and streams it over the
     * connection until EXIT; see {@link PipedRun} for the rules.
     */
    public void run(ExecRequest request, Connection conn) throws IOException {
        new PipedRun(launcher, activity, timers, request, conn).run();
    }

    /**
     * Starts the command in its own session with stdin from /dev/null and
     * stdout+stderr appended to the output file, answers one STDOUT frame of
     * {@link DetachResult} JSON and EXIT(0), and reaps the process when it ends.
     */
    public void detach(ExecRequest request, Connection conn) throws IOException {
        Path output = request.outputFile() != null
                ? launcher.workspace().resolve(request.outputFile())
                : Path.of("/tmp", "bhatti-detached-" + ProcessHandle.current().pid() + "-" + detached.incrementAndGet() + ".log");
        Child child;
        try {
            child = launcher.start(request, List.of(
                    new FdAction.Open(Path.of("/dev/null"), 0, OpenMode.READ),
                    new FdAction.Open(output, 1, OpenMode.APPEND),
                    new FdAction.DupChild(1, 2)), true);
        } catch (StartException e) {
            conn.out().error(e.getMessage());
            return;
        }
        launcher.blockingIo().execute(() -> reap(child));
        byte[] answer = dev.bhatti.proto.Json.encode(new DetachResult(child.pid(), output.toString()));
        conn.out().write(FrameType.STDOUT, answer);
        conn.out().exit(0);
        log.info("event=detached pid={} output={} argv0={}", child.pid(), output, request.argv().getFirst());
    }

    private static void reap(Child child) {
        try {
            int code = child.waitFor();
            log.info("event=detached_exit pid={} code={}", child.pid(), code);
        } catch (IOException e) {
            log.warn("event=detached_wait_failed pid={} error=\"{}\"", child.pid(), e.getMessage());
        }
    }
}
