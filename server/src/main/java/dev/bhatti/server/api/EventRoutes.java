package dev.bhatti.server.api;

import dev.bhatti.api.ErrorCode;
import dev.bhatti.proto.Json;
import dev.bhatti.server.events.EventLog;
import dev.bhatti.server.events.SandboxEvent;
import dev.bhatti.server.store.User;
import dev.bhatti.server.users.Users;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * {@code GET /events}: the caller's sandbox lifecycle events as Server-Sent Events (one
 * {@code id:} and one {@code data:} JSON line each), resumable with {@code Last-Event-ID}; a
 * comment every {@link #KEEPALIVE_MS} keeps proxies from closing an idle stream. And
 * {@code GET /metrics}, the Prometheus text format, for the admin's key only.
 */
final class EventRoutes implements ApiServer.Routes {
    static final long KEEPALIVE_MS = 15_000;
    /** What an EventSource waits before it reconnects. */
    static final int RETRY_MS = 1_000;

    private final ApiContext api;
    private final Guard guard;

    EventRoutes(ApiContext api, Guard guard) {
        this.api = api;
        this.guard = guard;
    }

    @Override
    public void register(JavalinDefaultRoutingApi r) {
        r.get("/events", this::events);
        r.get("/metrics", this::metrics);
    }

    private void events(Context ctx) throws IOException, InterruptedException {
        User user = guard.user(ctx);
        String ref = ctx.queryParam("sandbox");
        String sandboxId = ref == null ? null : api.sandboxes().row(user, ref).id();
        long after = lastEventId(ctx);
        try (EventLog.Subscription sub = api.events().subscribe(user.id(), sandboxId, after)) {
            ctx.status(200).contentType("text/event-stream; charset=utf-8");
            ctx.header("Cache-Control", "no-cache");
            ctx.header("X-Accel-Buffering", "no");
            // the servlet's own stream: Javalin's compressing wrapper ignores flush() (see ExecRoutes)
            OutputStream out = ctx.res().getOutputStream();
            write(out, "retry: " + RETRY_MS + "\n: bhatti events\n\n");
            while (true) {
                Optional<SandboxEvent> e;
                try {
                    e = sub.next(KEEPALIVE_MS);
                } catch (EventLog.Ended ended) {
                    return;
                }
                write(out, e.map(EventRoutes::frame).orElse(": keepalive\n\n"));
            }
        } catch (IOException gone) {
            // the client went away: its subscription ends with the try
        }
    }

    static String frame(SandboxEvent e) {
        return "id: " + e.id() + "\ndata: " + new String(Json.encode(e.json()), StandardCharsets.UTF_8) + "\n\n";
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** {@code Last-Event-ID} (an EventSource's reconnect), else {@code ?last_event_id=}, else -1: only new events. */
    private static long lastEventId(Context ctx) {
        String raw = ctx.header("Last-Event-ID");
        String name = "Last-Event-ID";
        if (raw == null || raw.isBlank()) {
            raw = ctx.queryParam("last_event_id");
            name = "last_event_id";
        }
        if (raw == null || raw.isBlank()) {
            return -1;
        }
        try {
            long id = Long.parseLong(raw.trim());
            if (id >= 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ApiException(ErrorCode.INVALID_EVENT_ID, name + " must be a non-negative integer (an event's id), got '"
                + (raw.length() > 40 ? raw.substring(0, 40) + "…" : raw) + "'");
    }

    private void metrics(Context ctx) throws IOException {
        User user = guard.user(ctx);
        if (!Users.ADMIN.equals(user.name())) {
            throw new ApiException(ErrorCode.ADMIN_ONLY, "GET /metrics answers only the admin's key; user "
                    + user.name() + " is not the admin");
        }
        ctx.status(200).contentType(dev.bhatti.server.metrics.Metrics.CONTENT_TYPE);
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream(16 << 10);
        api.metrics().write(body);
        ctx.result(body.toByteArray());
    }
}
