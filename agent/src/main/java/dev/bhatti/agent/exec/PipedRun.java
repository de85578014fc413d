package dev.bhatti.agent.exec;

import dev.bhatti.agent.activity.Activity;
import dev.bhatti.agent.conn.Connection;
import dev.bhatti.agent.posix.Child;
import dev.bhatti.agent.posix.Fd;
import dev.bhatti.agent.posix.FdAction;
import dev.bhatti.agent.posix.Pipe;
import dev.bhatti.agent.posix.Signals;
import dev.bhatti.agent.process.Launcher;
import dev.bhatti.agent.process.OutputPump;
import dev.bhatti.agent.process.StartException;
import dev.bhatti.proto.AgentErrorText;
import dev.bhatti.proto.ExecRequest;
import dev.bhatti.proto.Frame;
import dev.bhatti.proto.FrameType;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One piped exec on one connection. The child leads its own process group;
 * stdout and stderr stream as STDOUT/STDERR frames (≤ 32 KiB, order kept per
 * stream); STDIN frames feed stdin (empty = EOF); KILL or the connection
 * dropping SIGKILLs the group. After the child exits and its output is
 * drained the agent flushes the writable volumes ({@link VolumeSync}) and
 * sends EXIT; a timeout kills the group and answers
 * {@code ERROR "timeout: ..."} instead.
 */
final class PipedRun {
    private static final Logger log = LoggerFactory.getLogger(PipedRun.class);

    private final Launcher launcher;
    private final Activity activity;
    private final ScheduledExecutorService timers;
    private final ExecRequest request;
    private final Connection conn;
    private final AtomicBoolean exited = new AtomicBoolean();
    private final AtomicBoolean timedOut = new AtomicBoolean();

    PipedRun(Launcher launcher, Activity activity, ScheduledExecutorService timers, ExecRequest request,
             Connection conn) {
        this.launcher = launcher;
        this.activity = activity;
        this.timers = timers;
        this.request = request;
        this.conn = conn;
    }

    void run() throws IOException {
        try (Pipe in = Pipe.open(); Pipe out = Pipe.open(); Pipe err = Pipe.open()) {
            Child child;
            try {
                child = launcher.start(request, List.of(new FdAction.Dup(in.readEnd(), 0),
                        new FdAction.Dup(out.writeEnd(), 1), new FdAction.Dup(err.writeEnd(), 2)), false);
            } catch (StartException e) {
                conn.out().error(e.getMessage());
                return;
            } finally {
                in.readEnd().close();
                out.writeEnd().close();
                err.writeEnd().close();
            }
            supervise(child, in.writeEnd(), out.readEnd(), err.readEnd());
        }
    }

    /**
     * The connection's virtual thread relays host frames; one platform thread from the pool pumps
     * stdout and stderr and reaps the child (no thread hand-offs per output stream).
     */
    private void supervise(Child child, Fd stdin, Fd stdout, Fd stderr) throws IOException {
        Optional<ScheduledFuture<?>> timeout = scheduleTimeout(child);
        Thread.ofVirtual().name("lohar-exec-host").start(() -> relayHost(child, stdin));
        int code;
        try {
            code = launcher.blocking(() -> pumpAndWait(child, stdout, stderr));
        } catch (IOException e) {
            killQuietly(child, "supervision failed: " + e.getMessage());
            throw e;
        } finally {
            exited.set(true);
            timeout.ifPresent(t -> t.cancel(false));
        }
        finish(code);
    }

    private int pumpAndWait(Child child, Fd stdout, Fd stderr) throws IOException {
        OutputPump.run(List.of(new OutputPump.Source(stdout, (buf, len) -> conn.out().write(FrameType.STDOUT, buf, 0, len)),
                new OutputPump.Source(stderr, (buf, len) -> conn.out().write(FrameType.STDERR, buf, 0, len))),
                () -> child.poll().isPresent());
        int code = child.waitFor();
        exited.set(true);
        return code;
    }

    private void finish(int code) throws IOException {
        if (timedOut.get()) {
            conn.out().error(AgentErrorText.TIMEOUT.with(
                    String.join(" ", request.argv()) + " exceeded " + request.timeoutSec() + " s"));
            return;
        }
        VolumeSync.syncVolumes();
        conn.out().exit(code);
    }

    private Optional<ScheduledFuture<?>> scheduleTimeout(Child child) {
        Integer seconds = request.timeoutSec();
        if (seconds == null || seconds <= 0) {
            return Optional.empty();
        }
        return Optional.of(timers.schedule(() -> {
            timedOut.set(true);
            killQuietly(child, "timeout");
        }, seconds, TimeUnit.SECONDS));
    }

    /** Host → child: STDIN and KILL until the child is done; a dropped connection kills the group. */
    private void relayHost(Child child, Fd stdin) {
        try {
            for (Optional<Frame> f = conn.in().next(); f.isPresent() && !exited.get(); f = conn.in().next()) {
                onHostFrame(f.get(), child, stdin);
            }
            if (!exited.get()) {
                killQuietly(child, "host disconnected");
            }
        } catch (IOException e) {
            if (!exited.get()) {
                killQuietly(child, "host connection failed: " + e.getMessage());
            }
        }
    }

    private void onHostFrame(Frame f, Child child, Fd stdin) throws IOException {
        switch (f.kind().orElse(FrameType.ERROR)) {
            case STDIN -> {
                activity.touch();
                if (f.payload().length == 0) {
                    stdin.close();
                } else if (stdin.isOpen()) {
                    writeBlocking(stdin, f.payload());
                }
            }
            case KILL -> killQuietly(child, "KILL frame");
            default -> log.debug("event=exec_frame_ignored frame={}", f);
        }
    }

    private void writeBlocking(Fd fd, byte[] data) {
        try {
            launcher.blocking(() -> {
                fd.write(data, 0, data.length);
                return null;
            });
        } catch (IOException e) {
            log.debug("event=stdin_write_failed error=\"{}\"", e.getMessage());
        }
    }

    private static void killQuietly(Child child, String why) {
        try {
            child.signalGroup(Signals.KILL);
            log.debug("event=exec_killed pid={} reason=\"{}\"", child.pid(), why);
        } catch (IOException e) {
            log.warn("event=exec_kill_failed pid={} error=\"{}\"", child.pid(), e.getMessage());
        }
    }
}
