package dev.bhatti.agent.tty;

import dev.bhatti.agent.process.OutputPump;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
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
        AtomicBoolean exited = new AtomicBoolean();
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> {
            try {
                return session.child().waitFor();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, Thread.ofPlatform().daemon().name("lohar-session-wait")::start).whenComplete((c, e) -> exited.set(true));
        try {
            OutputPump.run(session.output(), session::output, exited::get);
        } catch (IOException e) {
            log.warn("event=session_output_failed session={} error=\"{}\"", session.id(), e.getMessage());
        }
        int code;
        try {
            code = exit.join();
        } catch (java.util.concurrent.CompletionException e) {
            log.error("event=session_wait_failed session={}", session.id(), e.getCause());
            code = -1;
        }
        onExit.accept(session, code);
    }
}
