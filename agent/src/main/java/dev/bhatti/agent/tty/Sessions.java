package dev.bhatti.agent.tty;

import dev.bhatti.agent.activity.Activity;
import dev.bhatti.agent.conn.Connection;
import dev.bhatti.agent.posix.Signals;
import dev.bhatti.agent.process.Launcher;
import dev.bhatti.agent.process.StartException;
import dev.bhatti.proto.AgentErrorText;
import dev.bhatti.proto.ExecKillRequest;
import dev.bhatti.proto.ExecRequest;
import dev.bhatti.proto.Frame;
import dev.bhatti.proto.FrameType;
import dev.bhatti.proto.Payloads;
import java.nio.charset.StandardCharsets;
import dev.bhatti.proto.Json;
import dev.bhatti.proto.SessionInfo;
import java.io.IOException;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TTY and piped sessions that survive disconnects (SPEC §2.4): ids {@code s1,
 * s2, ...} never reused ({@code init} for the init script), at most
 * {@code maxSessions} running or retained, detach on disconnect with an
 * optional idle kill, an optional deadline ({@code timeout_sec}), reattach
 * with scrollback (all of it, or from an output offset), exited sessions
 * retained for a late attach.
 */
public final class Sessions implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Sessions.class);
    /** The fixed id of the init script's session. */
    public static final String INIT_ID = "init";

    /** Sessions whose process runs, and sessions with a client attached. */
    public record Counts(int active, int attached) {}

    private final Launcher launcher;
    private final Activity activity;
    private final ScheduledExecutorService timers;
    private final int maxSessions;
    private final Duration exitedRetention;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final AtomicLong counter = new AtomicLong();
    private int starting;
    private volatile boolean closed;
    private final SessionStarter starter;

    public Sessions(Launcher launcher, Activity activity, ScheduledExecutorService timers, int maxSessions,
                    Duration exitedRetention) {
        this.launcher = launcher;
        this.activity = activity;
        this.timers = timers;
        this.maxSessions = maxSessions;
        this.exitedRetention = exitedRetention;
        this.starter = new SessionStarter(launcher);
    }

    /** Whether an {@code init} session exists (running or retained). */
    public boolean hasInit() {
        return sessions.containsKey(INIT_ID);
    }

    /** Starts the init script ({@code sh -c <command>} in the workspace, on a PTY) as session {@code init}, detached. */
    public void startInit(String command) {
        ExecRequest request = ExecRequest.builder("/bin/sh", "-c", command).tty().build();
        try {
            Session session = starter.start(INIT_ID, request);
            sessions.put(INIT_ID, session);
            watch(session);
            log.info("event=init_started pid={}", session.child().pid());
        } catch (IOException e) {
            log.error("event=init_failed error=\"{}\"", e.getMessage());
        }
    }

    /** Creates a session and attaches the requesting connection to it. */
    public void create(ExecRequest request, Connection conn) throws IOException {
        String id = reserveId();
        if (id == null) {
            conn.out().error(AgentErrorText.SESSION_LIMIT.with(maxSessions + ")"));
            return;
        }
        Session session;
        try {
            session = starter.start(id, request);
        } catch (StartException e) {
            settle(id, null);
            conn.out().error(e.getMessage());
            return;
        }
        settle(id, session);
        watch(session);
        Integer timeout = request.timeoutSec();
        if (timeout != null && timeout > 0) {
            session.deadline(timers.schedule(() -> killAtDeadline(session, timeout), timeout, TimeUnit.SECONDS));
        }
        serveClient(session, conn, false, 0);
    }

    /** Takes a slot under the limit and the next id; null when the limit is reached. */
    private String reserveId() {
        synchronized (sessions) {
            if (sessions.size() + starting >= maxSessions) {
                return null;
            }
            starting++;
            return "s" + counter.incrementAndGet();
        }
    }

    /** Turns a reserved slot into a session, or frees it when the start failed. */
    private void settle(String id, Session session) {
        synchronized (sessions) {
            starting--;
            if (session != null) {
                sessions.put(id, session);
            }
        }
    }

    /** Attaches to an existing session (SPEC §2.4 attach rules). */
    public void attach(ExecRequest request, Connection conn) throws IOException {
        Session session = sessions.get(request.sessionId());
        if (session == null) {
            conn.out().error(AgentErrorText.SESSION_NOT_FOUND.text());
            return;
        }
        serveClient(session, conn, request.onlyIfDetached(), request.outputFrom() == null ? 0 : request.outputFrom());
    }

    private void serveClient(Session session, Connection conn, boolean onlyIfDetached, long from) {
        Subscriber client = new Subscriber(conn);
        try {
            attachAndRelay(session, client, onlyIfDetached, from);
        } finally {
            client.finish();
        }
    }

    private void attachAndRelay(Session session, Subscriber client, boolean onlyIfDetached, long from) {
        switch (session.attach(client, onlyIfDetached, from)) {
            case Session.AttachOutcome.Refused r ->
                    client.offer(Frame.of(FrameType.ERROR, AgentErrorText.SESSION_ATTACHED.text().getBytes(StandardCharsets.UTF_8)));
            case Session.AttachOutcome.Attached a -> {
                a.replaced().ifPresent(old -> {
                    old.offer(Frame.of(FrameType.EXIT, Payloads.exit(0)));
                    old.closeAfterQueued();
                });
                if (a.exited()) {
                    sessions.remove(session.id(), session);
                } else {
                    new ClientInput(session, client, activity, launcher).run();
                    onDetached(session, client);
                }
            }
        }
    }

    private void onDetached(Session session, Subscriber client) {
        if (!session.detach(client)) {
            return;
        }
        if (session.running() && session.maxIdleSec() > 0) {
            session.timer(timers.schedule(() -> killIdle(session), session.maxIdleSec(), TimeUnit.SECONDS));
        }
    }

    private void killIdle(Session session) {
        try {
            log.info("event=session_idle_kill session={}", session.id());
            session.kill(Signals.KILL);
        } catch (IOException e) {
            log.warn("event=session_idle_kill_failed session={} error=\"{}\"", session.id(), e.getMessage());
        }
    }

    private void killAtDeadline(Session session, int timeoutSec) {
        try {
            log.info("event=session_timeout session={} timeout_sec={}", session.id(), timeoutSec);
            session.kill(Signals.KILL);
        } catch (IOException e) {
            log.warn("event=session_timeout_kill_failed session={} error=\"{}\"", session.id(), e.getMessage());
        }
    }

    /** Pumps the session's output and, when its process exits, records the exit. */
    private void watch(Session session) {
        launcher.blockingIo().execute(() -> new SessionWatch(session, this::onExit).run());
    }

    private void onExit(Session session, int code) {
        Optional<Subscriber> client = session.exited(code);
        log.info("event=session_exit session={} code={} attached={}", session.id(), code, client.isPresent());
        if (client.isPresent() || closed) {
            remove(session);
            client.ifPresent(c -> {
                c.offer(Frame.of(FrameType.EXIT, Payloads.exit(code)));
                c.closeAfterQueued();
            });
        } else {
            session.timer(timers.schedule(() -> remove(session), exitedRetention.toMillis(), TimeUnit.MILLISECONDS));
        }
    }

    private void remove(Session session) {
        if (sessions.remove(session.id(), session)) {
            session.close();
        }
    }

    /** EXEC_LIST: every session, including retained exited ones, oldest first. */
    public void list(Connection conn) throws IOException {
        List<SessionInfo> infos = live().map(Session::info)
                .sorted(Comparator.comparingLong(SessionInfo::createdAt).thenComparing(SessionInfo::sessionId))
                .toList();
        conn.out().write(FrameType.EXEC_LIST_RESP, Json.encode(infos));
    }

    /** EXEC_KILL: SIGKILL to the session's group, EXIT(0) to the requester. */
    public void kill(ExecKillRequest request, Connection conn) throws IOException {
        Session session = sessions.get(request.sessionId());
        if (session == null) {
            conn.out().error(AgentErrorText.SESSION_NOT_FOUND.text());
            return;
        }
        if (session.running()) {
            session.kill(Signals.KILL);
        } else {
            remove(session);
        }
        conn.out().exit(0);
    }

    public Counts counts() {
        List<Session> all = live().toList();
        return new Counts((int) all.stream().filter(Session::running).count(),
                (int) all.stream().filter(Session::isAttached).count());
    }

    private Stream<Session> live() {
        return sessions.values().stream();
    }

    /**
     * Kills every session's process group; each session's watcher then drains, records the exit
     * and releases the descriptors (retention no longer applies once closed).
     */
    @Override
    public void close() {
        closed = true;
        for (Session s : live().toList()) {
            try {
                s.kill(Signals.KILL);
            } catch (IOException e) {
                log.warn("event=session_kill_failed session={} error=\"{}\"", s.id(), e.getMessage());
            }
            if (!s.running()) {
                remove(s);
            }
        }
    }
}
