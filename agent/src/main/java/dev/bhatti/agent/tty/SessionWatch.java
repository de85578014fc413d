package dev.bhatti.agent.tty;

import dev.bhatti.agent.posix.Signals;
import dev.bhatti.agent.process.OutputPump;
import dev.bhatti.proto.FrameType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ObjIntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs on a platform thread for a session's lifetime: copies its output into
 * the session until the process exited and the output drained, then reports
 * the exit code (output always before the exit).
 */
final class SessionWatch {
    private static final Logger log = LoggerFactory.getLogger(SessionWatch.class);

    private final Session session;
    private final ObjIntConsumer<Session> onExit;

    SessionWatch(Session session, ObjIntConsumer<Session> onExit) {
        this.session = session;
        this.onExit = onExit;
    }

    void run() {
        try {
            List<OutputPump.Source> sources = new ArrayList<>();
            sources.add(new OutputPump.Source(session.output(), (buf, len) -> session.output(FrameType.STDOUT, buf, len)));
            session.errors().ifPresent(fd ->
                    sources.add(new OutputPump.Source(fd, (buf, len) -> session.output(FrameType.STDERR, buf, len))));
            OutputPump.run(sources, () -> session.child().poll().isPresent());
        } catch (IOException e) {
            log.error("event=session_output_failed session={} error=\"{}\"", session.id(), e.getMessage());
            killQuietly();
        }
        int code;
        try {
            code = session.child().waitFor();
        } catch (IOException e) {
            log.error("event=session_wait_failed session={} error=\"{}\"", session.id(), e.getMessage());
            code = -1;
        }
        onExit.accept(session, code);
    }

    private void killQuietly() {
        try {
            session.kill(Signals.KILL);
        } catch (IOException e) {
            log.error("event=session_kill_failed session={} error=\"{}\"", session.id(), e.getMessage());
        }
    }
}
