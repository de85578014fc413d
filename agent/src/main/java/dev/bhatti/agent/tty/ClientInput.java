package dev.bhatti.agent.tty;

import dev.bhatti.agent.activity.Activity;
import dev.bhatti.agent.posix.Signals;
import dev.bhatti.agent.process.Launcher;
import dev.bhatti.proto.Frame;
import dev.bhatti.proto.FrameType;
import dev.bhatti.proto.Payloads;
import java.io.IOException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads an attached client's frames until it goes away: STDIN to the
 * session's input (empty STDIN closes a piped session's stdin), RESIZE to the
 * PTY, KILL as SIGTERM to the group. Runs on the connection's thread; native
 * writes never pin a virtual thread ({@link Launcher#blocking}).
 */
final class ClientInput {
    private static final Logger log = LoggerFactory.getLogger(ClientInput.class);

    private final Session session;
    private final Subscriber client;
    private final Activity activity;
    private final Launcher launcher;

    ClientInput(Session session, Subscriber client, Activity activity, Launcher launcher) {
        this.session = session;
        this.client = client;
        this.activity = activity;
        this.launcher = launcher;
    }

    void run() {
        try {
            for (Optional<Frame> f = client.connection().in().next(); f.isPresent(); f = client.connection().in().next()) {
                handle(f.get());
            }
        } catch (IOException e) {
            log.debug("event=session_client_gone session={} error=\"{}\"", session.id(), e.getMessage());
        }
    }

    private void handle(Frame f) throws IOException {
        switch (f.kind().orElse(FrameType.ERROR)) {
            case STDIN -> {
                activity.touch();
                input(f.payload());
            }
            case RESIZE -> {
                Payloads.WindowSize size = Payloads.resize(f.payload());
                if (session.pty().isPresent()) {
                    session.pty().get().resize(size.rows(), size.cols());
                }
            }
            case KILL -> session.kill(Signals.TERM);
            default -> log.debug("event=session_frame_ignored session={} frame={}", session.id(), f);
        }
    }

    private void input(byte[] data) throws IOException {
        if (data.length == 0) {
            if (!session.isTty()) {
                session.input().close();
            }
            return;
        }
        if (!session.input().isOpen()) {
            return;
        }
        launcher.blocking(() -> {
            session.input().write(data, 0, data.length);
            return null;
        });
    }
}
