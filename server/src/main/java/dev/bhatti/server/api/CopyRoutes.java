package dev.bhatti.server.api;

import dev.bhatti.server.sandbox.Copying;
import dev.bhatti.server.store.CheckpointRow;
import dev.bhatti.server.store.User;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Forks, checkpoints and rollback of a sandbox (issue 11, decision 0022), each of which wakes it,
 * and its egress audit log (decision 0024), which does not.
 */
final class CopyRoutes implements ApiServer.Routes {
    private final ApiContext api;
    private final Guard guard;

    CopyRoutes(ApiContext api, Guard guard) {
        this.api = api;
        this.guard = guard;
    }

    @Override
    public void register(JavalinDefaultRoutingApi r) {
        r.post("/sandboxes/{id}/fork", ctx -> {
            User user = guard.user(ctx, RateLimits.Kind.CREATE);
            Copying.ForkRequest body = Bodies.json(ctx, Copying.ForkRequest.class, new Copying.ForkRequest(null, null));
            Responses.json(ctx, 201, copies().fork(user, ctx.pathParam("id"), body));
        });
        r.post("/sandboxes/{id}/checkpoints", ctx -> {
            User user = guard.user(ctx);
            Copying.CheckpointRequest body = Bodies.json(ctx, Copying.CheckpointRequest.class,
                    new Copying.CheckpointRequest(null));
            Responses.json(ctx, 201, view(copies().checkpoint(user, ctx.pathParam("id"), body)));
        });
        r.get("/sandboxes/{id}/checkpoints", ctx -> Responses.ok(ctx, copies().checkpoints(guard.user(ctx),
                ctx.pathParam("id")).stream().map(CopyRoutes::view).toList()));
        r.delete("/sandboxes/{id}/checkpoints/{checkpoint}", ctx -> {
            copies().deleteCheckpoint(guard.user(ctx), ctx.pathParam("id"), ctx.pathParam("checkpoint"));
            Responses.ok(ctx, Map.of("status", "deleted"));
        });
        r.get("/sandboxes/{id}/egress", ctx -> {
            User user = guard.user(ctx);
            java.time.Instant since = EgressQuery.since(ctx.queryParam("since"));
            int limit = EgressQuery.limit(ctx.queryParam("limit"));
            Responses.ok(ctx, api.sandboxes().egressLog(user, ctx.pathParam("id"), since, limit).stream()
                    .map(EgressQuery::view).toList());
        });
        r.post("/sandboxes/{id}/restore", ctx -> {
            User user = guard.user(ctx);
            Copying.RestoreRequest body = Bodies.json(ctx, Copying.RestoreRequest.class, new Copying.RestoreRequest(null));
            Responses.ok(ctx, copies().restore(user, ctx.pathParam("id"), body));
        });
    }

    private Copying copies() {
        return api.sandboxes().copies();
    }

    /** The wire form of a checkpoint (openapi.json {@code Checkpoint}). */
    static Map<String, Object> view(CheckpointRow c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.id());
        m.put("sandbox_id", c.sandboxId());
        m.put("name", c.name());
        m.put("created_at", c.createdAt().toString());
        m.put("size_bytes", c.sizeBytes());
        return m;
    }
}
