package dev.bhatti.agent.tty;

import dev.bhatti.agent.posix.Child;
import dev.bhatti.agent.posix.Fd;
import dev.bhatti.agent.posix.Pty;
import dev.bhatti.proto.Frame;
import dev.bhatti.proto.FrameType;
import dev.bhatti.proto.Json;
import dev.bhatti.proto.Payloads;
import dev.bhatti.proto.SessionInfo;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One session: its process, its input and output descriptors, its scrollback
 * and at most one attached client. All state changes happen under one lock,
 * and no I/O happens under it (frames go to the subscriber's queue).
 */
final class Session {
    private final String id;
    private final String argv;
    private final boolean tty;
    private final long createdAt;
    private final Child child;
    private final Fd input;
    private final Fd output;
    private final Optional<Fd> errors;
    private final Optional<Pty> pty;
    private final int maxIdleSec;
    private final String label;
    private final ReentrantLock lock = new ReentrantLock();
    private final Scrollback scrollback = new Scrollback();
    private Subscriber attached;
    private Integer exitCode;
    private ScheduledFuture<?> timer;
    private ScheduledFuture<?> deadline;

    /**
     * @param output the process's stdout (and stderr, merged, unless {@code errors} is present)
     * @param errors a piped session's stderr, kept apart
     * @param label  the client's label, reported in SessionInfo (null: none)
     */
    Session(String id, String argv, boolean tty, Child child, Fd input, Fd output, Optional<Fd> errors,
            Optional<Pty> pty, int maxIdleSec, String label) {
        this.id = id;
        this.argv = argv;
        this.tty = tty;
        this.createdAt = System.currentTimeMillis() / 1000;
        this.child = child;
        this.input = input;
        this.output = output;
        this.errors = errors;
        this.pty = pty;
        this.maxIdleSec = maxIdleSec;
        this.label = label;
    }

    String id() {
        return id;
    }

    Child child() {
        return child;
    }

    Fd input() {
        return input;
    }

    Fd output() {
        return output;
    }

    Optional<Fd> errors() {
        return errors;
    }

    Optional<Pty> pty() {
        return pty;
    }

    int maxIdleSec() {
        return maxIdleSec;
    }

    boolean isTty() {
        return tty;
    }

    SessionInfo info() {
        lock.lock();
        try {
            return new SessionInfo(id, argv, tty, exitCode == null, exitCode, attached != null, createdAt,
                    child.pid(), null, label);
        } finally {
            lock.unlock();
        }
    }

    boolean running() {
        lock.lock();
        try {
            return exitCode == null;
        } finally {
            lock.unlock();
        }
    }

    boolean isAttached() {
        lock.lock();
        try {
            return attached != null;
        } finally {
            lock.unlock();
        }
    }

    /** Output from the process (STDOUT or STDERR): into the scrollback and, when someone is attached, to them. */
    void output(FrameType type, byte[] buf, int len) {
        lock.lock();
        try {
            scrollback.write(type, buf, len);
            if (attached != null) {
                attached.offer(Frame.of(type, java.util.Arrays.copyOf(buf, len)));
            }
        } finally {
            lock.unlock();
        }
    }

    /** What an attach found: refused because someone is attached, or the client it replaced. */
    sealed interface AttachOutcome {
        record Refused() implements AttachOutcome {}
        record Attached(Optional<Subscriber> replaced, boolean exited) implements AttachOutcome {}
    }

    /**
     * Makes {@code client} the attached client: queues SESSION_INFO, the scrollback from output
     * offset {@code from} (one STDOUT frame for a merged session; a frame per run of a stream when
     * stderr is apart) and, for an exited session, EXIT(code) — all before any live output can be
     * queued.
     */
    AttachOutcome attach(Subscriber client, boolean onlyIfDetached, long from) {
        lock.lock();
        try {
            if (onlyIfDetached && attached != null) {
                return new AttachOutcome.Refused();
            }
            Optional<Subscriber> previous = Optional.ofNullable(attached);
            attached = client;
            cancelTimer();
            Scrollback.Replay replay = scrollback.replay(from);
            client.offer(Frame.of(FrameType.SESSION_INFO, Json.encode(new SessionInfo(id, argv, tty, exitCode == null,
                    exitCode, true, createdAt, child.pid(), replay.from(), label))));
            replay.frames().forEach(client::offer);
            if (exitCode != null) {
                client.offer(Frame.of(FrameType.EXIT, Payloads.exit(exitCode)));
                client.closeAfterQueued();
                attached = null;
            }
            return new AttachOutcome.Attached(previous, exitCode != null);
        } finally {
            lock.unlock();
        }
    }

    /** Detaches {@code client} if it is still the attached one; answers whether it was. */
    boolean detach(Subscriber client) {
        lock.lock();
        try {
            if (attached != client) {
                return false;
            }
            attached = null;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Records the exit and detaches the client that was attached, if any; the caller sends it
     * EXIT (after removing the session, so the client never sees a listed session after EXIT).
     */
    Optional<Subscriber> exited(int code) {
        lock.lock();
        try {
            exitCode = code;
            cancelTimer();
            if (deadline != null) {
                deadline.cancel(false);
            }
            Subscriber client = attached;
            attached = null;
            return Optional.ofNullable(client);
        } finally {
            lock.unlock();
        }
    }

    /** Replaces the pending timer (idle kill or retention). */
    void timer(ScheduledFuture<?> next) {
        lock.lock();
        try {
            cancelTimer();
            timer = next;
        } finally {
            lock.unlock();
        }
    }

    /** Sets the kill at the session's {@code timeout_sec}, unless the process already exited. */
    void deadline(ScheduledFuture<?> kill) {
        lock.lock();
        try {
            if (exitCode == null) {
                deadline = kill;
            } else {
                kill.cancel(false);
            }
        } finally {
            lock.unlock();
        }
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    void kill(int signal) throws IOException {
        if (running()) {
            child.signalGroup(signal);
        }
    }

    void close() {
        input.close();
        output.close();
        errors.ifPresent(Fd::close);
        pty.ifPresent(Pty::close);
    }
}
