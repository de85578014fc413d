package dev.bhatti.agent.tty;

import dev.bhatti.agent.posix.Child;
import dev.bhatti.agent.posix.FdAction;
import dev.bhatti.agent.posix.OpenMode;
import dev.bhatti.agent.posix.Pipe;
import dev.bhatti.agent.posix.Pty;
import dev.bhatti.agent.posix.ThreadCredentials;
import dev.bhatti.agent.process.Launcher;
import dev.bhatti.agent.process.StartException;
import dev.bhatti.proto.AgentErrorText;
import dev.bhatti.proto.ExecRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;

/**
 * Starts a session's process: on a new PTY as its controlling terminal, or on pipes with stderr
 * merged into stdout (or, when the request asks, on a pipe of its own).
 */
final class SessionStarter {
    private final Launcher launcher;

    SessionStarter(Launcher launcher) {
        this.launcher = launcher;
    }

    Session start(String id, ExecRequest request) throws IOException {
        return request.wantsTty() ? startTty(id, request) : startPiped(id, request);
    }

    private Session startTty(String id, ExecRequest request) throws IOException {
        Pty pty;
        try {
            pty = Pty.open(request.rowsOrDefault(), request.colsOrDefault());
        } catch (IOException e) {
            throw new StartException(AgentErrorText.START.with("no terminal for the session: " + e.getMessage()));
        }
        try {
            // The child opens its terminal as the user it runs as, which must own it (as login does).
            Optional<ThreadCredentials.Ids> user = launcher.userOf(request);
            if (user.isPresent()) {
                Files.setAttribute(pty.slavePath(), "unix:uid", user.get().uid());
            }
            Child child = launcher.start(request, List.of(
                    new FdAction.Open(pty.slavePath(), 0, OpenMode.READ_WRITE),
                    new FdAction.DupChild(0, 1), new FdAction.DupChild(0, 2)), true);
            return new Session(id, String.join(" ", request.argv()), true, child, pty.master(), pty.master(),
                    Optional.empty(), Optional.of(pty), idle(request), request.label());
        } catch (IOException e) {
            pty.close();
            throw e;
        }
    }

    private Session startPiped(String id, ExecRequest request) throws IOException {
        Pipe in = Pipe.open();
        Pipe out = Pipe.open();
        Optional<Pipe> err = Optional.empty();
        try {
            if (request.wantsStderrApart()) {
                err = Optional.of(Pipe.open());
            }
            Child child = launcher.start(request, List.of(new FdAction.Dup(in.readEnd(), 0),
                    new FdAction.Dup(out.writeEnd(), 1), new FdAction.Dup(err.orElse(out).writeEnd(), 2)), false);
            return new Session(id, String.join(" ", request.argv()), false, child, in.writeEnd(), out.readEnd(),
                    err.map(Pipe::readEnd), Optional.empty(), idle(request), request.label());
        } catch (IOException e) {
            in.writeEnd().close();
            out.readEnd().close();
            err.ifPresent(p -> p.readEnd().close());
            throw e;
        } finally {
            in.readEnd().close();
            out.writeEnd().close();
            err.ifPresent(p -> p.writeEnd().close());
        }
    }

    private static int idle(ExecRequest request) {
        return request.maxIdleSec() == null ? 0 : request.maxIdleSec();
    }
}
