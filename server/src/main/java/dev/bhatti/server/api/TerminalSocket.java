package dev.bhatti.server.api;

import dev.bhatti.client.AgentClient;
import dev.bhatti.client.Terminal;
import dev.bhatti.proto.ExecRequest;
import dev.bhatti.proto.Json;
import dev.bhatti.proto.SessionInfo;
import dev.bhatti.server.sandbox.Sandboxes;
import dev.bhatti.server.store.SandboxRow;
import dev.bhatti.server.store.User;
import io.javalin.router.JavalinDefaultRoutingApi;
import io.javalin.websocket.WsContext;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /sandboxes/:id/ws} (SPEC §4.2): a terminal over a WebSocket. Without {@code session}
 * it reattaches to the newest detached TTY session, else starts {@code /bin/bash -li} (killed after
 * 1 h detached). The first message is {@code {"type":"session","session_id":...}}; output goes out
 * as binary messages; binary in = keystrokes; text in = resize. Process exit closes with 1000.
 * While connected the sandbox is held hot. Also the sessions and ports routes.
 */
final class TerminalSocket implements ApiServer.Routes {
    private static final Logger log = LoggerFactory.getLogger(TerminalSocket.class);
    static final int SHELL_IDLE_SEC = 3600;
    static final Duration PING = Duration.ofSeconds(30);
    /** Several pings long: Jetty's default equals the ping interval, and a late ping lost the race. */
    static final Duration IDLE = Duration.ofMinutes(3);
    static final Duration DETACH_GRACE = Duration.ofMillis(1500);

    private final ApiContext api;
    private final Guard guard;
    private final Map<String, Open> open = new ConcurrentHashMap<>();

    private record Open(Terminal terminal, AutoCloseable hold) {}

    record Resize(String type, Integer rows, Integer cols) {}

    TerminalSocket(ApiContext api, Guard guard) {
        this.api = api;
        this.guard = guard;
    }

    @Override
    public void register(JavalinDefaultRoutingApi r) {
        r.get("/sandboxes/{id}/sessions", ctx -> Responses.ok(ctx,
                guard.agent(ctx, guard.user(ctx), ctx.pathParam("id")).sessions()));
        r.delete("/sandboxes/{id}/sessions/{sid}", ctx -> {
            guard.agent(ctx, guard.user(ctx), ctx.pathParam("id")).killSession(ctx.pathParam("sid"));
            Responses.ok(ctx, Map.of("status", "killed"));
        });
        r.get("/sandboxes/{id}/ports", ctx -> {
            User user = guard.user(ctx);
            SandboxRow row = api.sandboxes().row(user, ctx.pathParam("id"));
            Responses.ok(ctx, Ports.of(row.id(), guard.agent(ctx, user, row.id())));
        });
        r.get("/ports", ctx -> Responses.ok(ctx, Ports.acrossHot(api.sandboxes(), guard.user(ctx))));
        // Before the upgrade, so that an unknown sandbox is a 404, a sandbox without a VM a 409 and
        // a rate limit a 429, each an HTTP answer with the error body rather than a close frame.
        r.wsBeforeUpgrade("/sandboxes/{id}/ws", ctx -> {
            User user = guard.user(Caller.of(ctx), RateLimits.Kind.HEAVY);
            api.sandboxes().rowWithVm(user, ctx.pathParam("id"));
        });
        r.ws("/sandboxes/{id}/ws", ws -> {
            ws.onConnect(this::connect);
            ws.onBinaryMessage(c -> write(c.sessionId(), c.data()));
            ws.onMessage(c -> resize(c.sessionId(), c.message()));
            ws.onClose(c -> detach(c.sessionId()));
            ws.onError(c -> detach(c.sessionId()));
        });
    }

    private void connect(WsContext ws) throws Exception {
        User user = ws.attribute(Caller.ATTRIBUTE);
        SandboxRow row = api.sandboxes().row(user, ws.pathParam("id"));
        Sandboxes.Hot hot = api.sandboxes().hot(user, row.id());
        Terminal terminal;
        try {
            terminal = hot.agent().openTerminal(request(hot.agent(), ws.queryParam("session"),
                    "true".equals(ws.queryParam("new"))));
        } catch (IOException | RuntimeException e) {
            hot.hold().close();
            throw e;
        }
        open.put(ws.sessionId(), new Open(terminal, hot.hold()));
        ws.send(Json.mapper().writeValueAsString(Map.of("type", "session", "session_id", terminal.sessionId())));
        ws.enableAutomaticPings(PING.toSeconds(), TimeUnit.SECONDS);
        ws.session.setIdleTimeout(IDLE);
        Thread.ofVirtual().name("ws-" + row.id()).start(() -> pump(ws, terminal));
    }

    private static ExecRequest request(AgentClient agent, String session, boolean fresh) throws IOException {
        if (session != null && !session.isEmpty()) {
            return ExecRequest.attach(session).build();
        }
        if (!fresh) {
            Optional<SessionInfo> detached = newestDetached(agent);
            if (detached.isPresent()) {
                return ExecRequest.attach(detached.get().sessionId()).build();
            }
        }
        return ExecRequest.builder("/bin/bash", "-li").tty().cwd("/workspace").maxIdleSec(SHELL_IDLE_SEC).build();
    }

    /**
     * The newest running, unlabelled TTY session nobody is attached to (a labelled one belongs to
     * its client: the E2B layer's PTYs, which it reattaches itself after a pause). A client that detached and at once
     * reconnects can beat its old connection's teardown (the agent still shows that session
     * attached for a moment), so while a running TTY session is attached this looks again for up
     * to {@link #DETACH_GRACE} before a new shell is started.
     */
    private static Optional<SessionInfo> newestDetached(AgentClient agent) throws IOException {
        long deadline = System.nanoTime() + DETACH_GRACE.toNanos();
        while (true) {
            List<SessionInfo> ttys = agent.sessions().stream().filter(s -> s.tty() && s.running() && s.label() == null)
                    .sorted(Comparator.comparingLong(SessionInfo::createdAt).reversed()).toList();
            Optional<SessionInfo> detached = ttys.stream().filter(s -> !s.attached()).findFirst();
            if (detached.isPresent() || ttys.isEmpty() || System.nanoTime() > deadline) {
                return detached;
            }
            LockSupport.parkNanos(50_000_000);
        }
    }

    /** Terminal output → binary messages; the process's exit closes the socket with 1000. */
    private void pump(WsContext ws, Terminal terminal) {
        try {
            while (true) {
                Terminal.Event e = terminal.read();
                if (e instanceof Terminal.Event.Output o) {
                    ws.send(ByteBuffer.wrap(o.data()));
                } else if (e instanceof Terminal.Event.Exit x) {
                    ws.closeSession(1000, "exit " + x.code());
                    return;
                } else {
                    ws.closeSession(1011, "terminal ended");
                    return;
                }
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            log.debug("event=ws_pump_ended session={} error=\"{}\"", ws.sessionId(), e.getMessage());
            if (ws.session.isOpen()) {
                ws.closeSession(1011, "terminal connection lost");
            }
        }
    }

    private void write(String id, ByteBuffer data) throws IOException {
        Open o = open.get(id);
        if (o != null) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            o.terminal().write(bytes);
        }
    }

    private void resize(String id, String message) throws IOException {
        Open o = open.get(id);
        Resize r = Json.mapper().readValue(message, Resize.class);
        if (o != null && "resize".equals(r.type()) && r.rows() != null && r.cols() != null) {
            o.terminal().resize(r.rows(), r.cols());
        }
    }

    private void detach(String id) {
        Open o = open.remove(id);
        if (o != null) {
            try (Terminal t = o.terminal()) {
                o.hold().close();
                log.debug("event=ws_detached session={} terminal={}", id, t.sessionId());
            } catch (Exception e) {
                log.warn("event=ws_detach_failed session={} error=\"{}\"", id, e.getMessage());
            }
        }
    }
}
