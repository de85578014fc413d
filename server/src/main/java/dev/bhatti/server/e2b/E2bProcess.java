package dev.bhatti.server.e2b;

import dev.bhatti.client.Terminal;
import dev.bhatti.proto.SessionInfo;
import java.io.IOException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One process of envd's process service: an agent session the daemon follows. While attached, a
 * virtual thread reads the session and fans each chunk out to the followers as envd
 * {@code ProcessEvent}s, counting the bytes; when the connection ends without an exit (the sandbox
 * stopped) the process stays, detached, until {@link #reattach()} attaches again from that count,
 * so no byte is lost or repeated across a pause.
 */
public final class E2bProcess {
    private static final Logger log = LoggerFactory.getLogger(E2bProcess.class);
    /** Events a follower may be behind before it is dropped (its stream ends; the process runs on). */
    private static final int BEHIND = 10_000;
    /** SIGKILL's exit code (128 + 9): a process the deadline or a kill ended. */
    private static final int KILLED = 137;

    public final int pid;
    public final String tag;
    public final E2bProcesses.Config config;
    final String sandboxId;
    private final E2bProcesses owner;
    private final AutoCloseable hold;
    private final String sessionId;
    private final boolean pty;
    private final E2bProcesses.Guest guest;
    private final long deadlineNanos;
    private final List<BlockingQueue<Object>> followers = new CopyOnWriteArrayList<>();
    private final ReentrantLock attaching = new ReentrantLock();
    private volatile Terminal attached;
    private volatile long received;
    private volatile boolean killed;
    private volatile Map<String, Object> end;

    /**
     * @param session     the agent's report of the session (its id, pid, and whether it is a PTY)
     * @param deadlineSec the process's deadline, which the agent enforces (null: none, or unknown)
     */
    E2bProcess(E2bProcesses owner, String sandboxId, E2bProcesses.Config config, AutoCloseable hold,
               SessionInfo session, E2bProcesses.Guest guest, Integer deadlineSec) {
        this.owner = owner;
        this.sandboxId = sandboxId;
        this.tag = config.tag();
        this.config = config;
        this.hold = hold;
        this.guest = guest;
        this.pid = Objects.requireNonNull(session.pid(), "the agent reported no pid for the session");
        this.sessionId = session.sessionId();
        this.pty = session.tty();
        this.deadlineNanos = deadlineSec == null ? 0 : System.nanoTime() + TimeUnit.SECONDS.toNanos(deadlineSec);
    }

    public boolean isPty() {
        return pty;
    }

    /** A new follower: every event from now on, then {@link E2bProcesses#END}; empty when the process has ended. */
    public Optional<BlockingQueue<Object>> follow() {
        BlockingQueue<Object> q = new LinkedBlockingQueue<>();
        follow(q);
        if (end != null) {
            followers.remove(q);
            return Optional.empty();
        }
        return Optional.of(q);
    }

    void follow(BlockingQueue<Object> q) {
        followers.add(q);
    }

    public void unfollow(BlockingQueue<Object> q) {
        followers.remove(q);
    }

    /** Reads {@code session} on a virtual thread until it exits or its connection ends. */
    void following(Terminal session) {
        attached = session;
        Thread.ofVirtual().name("e2b-proc-" + pid).start(() -> pump(session));
    }

    private void pump(Terminal session) {
        try {
            while (true) {
                switch (session.read()) {
                    case Terminal.Event.Output o -> data(pty ? "pty" : "stdout", o.data());
                    case Terminal.Event.Stderr e -> data("stderr", e.data());
                    case Terminal.Event.Exit x -> {
                        ended(x.code(), null);
                        return;
                    }
                    case Terminal.Event.Closed c -> {
                        detached(session, "closed");
                        return;
                    }
                }
            }
        } catch (IOException e) {
            detached(session, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void detached(Terminal session, String why) {
        attaching.lock();
        try {
            if (attached == session) {
                attached = null;
            }
        } finally {
            attaching.unlock();
        }
        log.info("event=e2b_process_detached sandbox={} pid={} received={} reason=\"{}\"", sandboxId, pid, received, why);
    }

    /**
     * Makes a process taken over from a previous daemon start from the end of its output: its old
     * followers went with that daemon, and a new one follows from now on.
     */
    void fromNow() {
        received = Long.MAX_VALUE;
    }

    /**
     * Attaches again if the connection ended, replaying what the session printed since the last byte
     * this daemon read; ends the process when its session is gone. A failure to reach the agent
     * leaves it detached, for the next try.
     */
    public void reattach() {
        if (end != null || attached != null) {
            return; // the common case, on every process call: no lock taken
        }
        attaching.lock();
        try {
            if (end != null || attached != null) {
                return;
            }
            Optional<Terminal> session = guest.attach(sessionId, received);
            if (session.isEmpty()) {
                gone("the process's session is gone from the sandbox");
                return;
            }
            Long from = session.get().info().replayFrom();
            if (from != null) {
                if (from > received) {
                    log.warn("event=e2b_process_output_lost sandbox={} pid={} bytes={}", sandboxId, pid, from - received);
                }
                received = from;
            }
            log.info("event=e2b_process_reattached sandbox={} pid={} from={}", sandboxId, pid, received);
            following(session.get());
        } catch (IOException | RuntimeException e) {
            log.warn("event=e2b_process_reattach_failed sandbox={} pid={} error=\"{}\"", sandboxId, pid, e.getMessage());
        } finally {
            attaching.unlock();
        }
    }

    /** Ends the process as failed: its session (or sandbox) no longer exists. */
    void gone(String why) {
        ended(-1, why);
        Terminal t = attached;
        if (t != null) {
            try {
                t.close();
            } catch (IOException e) {
                log.debug("event=e2b_process_close_failed pid={} error=\"{}\"", pid, e.getMessage());
            }
        }
    }

    private void emit(Object event) {
        for (BlockingQueue<Object> q : followers) {
            if (q.size() > BEHIND) {
                followers.remove(q);
                q.offer(E2bProcesses.END);
            } else {
                q.offer(event);
            }
        }
    }

    private void data(String stream, byte[] bytes) {
        received += bytes.length;
        emit(Map.of("data", Map.of(stream, Base64.getEncoder().encodeToString(bytes))));
    }

    private void ended(int code, String failure) {
        synchronized (this) {
            if (end != null) {
                return;
            }
            end = Map.of("end", endEvent(code, failure));
        }
        owner.forget(this);
        emit(end);
        for (BlockingQueue<Object> q : followers) {
            q.offer(E2bProcesses.END);
        }
        try {
            hold.close();
        } catch (Exception ex) {
            E2bProcesses.logReleaseFailure(sandboxId, ex);
        }
    }

    private Map<String, Object> endEvent(int code, String failure) {
        Map<String, Object> e = new LinkedHashMap<>();
        boolean pastDeadline = deadlineNanos != 0 && System.nanoTime() - deadlineNanos >= 0;
        if (code == KILLED && (killed || pastDeadline)) {
            e.put("exitCode", -1);
            e.put("exited", false);
            e.put("status", "signal: killed");
            e.put("error", "signal: killed");
        } else if (failure != null) {
            e.put("exitCode", code);
            e.put("exited", false);
            e.put("status", failure);
            e.put("error", failure);
        } else {
            e.put("exitCode", code);
            e.put("exited", true);
            e.put("status", "exit status " + code);
            if (code != 0) {
                e.put("error", "exit status " + code);
            }
        }
        return e;
    }

    private Terminal session() {
        Terminal t = attached;
        if (t == null) {
            reattach();
            t = attached;
        }
        if (t == null) {
            throw Connect.error("unavailable", "process " + pid + " cannot be reached now: its sandbox is not running");
        }
        return t;
    }

    public void write(byte[] data) throws IOException {
        session().write(data);
    }

    public void closeStdin() throws IOException {
        session().closeStdin();
    }

    /** SIGKILL to the process group (a terminal's own KILL is a SIGTERM, which a shell ignores). */
    public void kill() throws IOException {
        killed = true;
        guest.kill(sessionId);
    }

    public void resize(int rows, int cols) throws IOException {
        if (!pty) {
            throw Connect.error("invalid_argument", "process " + pid + " has no PTY to resize");
        }
        session().resize(rows, cols);
    }
}
