package dev.bhatti.server.api;

import dev.bhatti.api.SandboxStatus;
import dev.bhatti.server.sandbox.Creation;
import dev.bhatti.server.sandbox.CreateRequest;
import dev.bhatti.server.sandbox.Labels;
import dev.bhatti.server.sandbox.PatchRequest;
import dev.bhatti.server.store.User;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.util.Map;

/** Sandbox CRUD, stop and start (SPEC §4.2). None of these wake a VM except keep_hot=true. */
final class SandboxRoutes implements ApiServer.Routes {
    private final ApiContext api;
    private final Guard guard;

    SandboxRoutes(ApiContext api, Guard guard) {
        this.api = api;
        this.guard = guard;
    }

    private record StartBody(Boolean force) {}

    @Override
    public void register(JavalinDefaultRoutingApi r) {
        r.post("/sandboxes", this::create);
        r.get("/sandboxes", ctx -> Responses.ok(ctx, api.sandboxes().list(guard.user(ctx),
                Labels.filter(ctx.queryParams("label")))));
        r.get("/sandboxes/{id}", ctx -> Responses.ok(ctx, api.sandboxes().get(guard.user(ctx), ctx.pathParam("id"))));
        r.patch("/sandboxes/{id}", ctx -> {
            User user = guard.user(ctx);
            PatchRequest patch = Bodies.json(ctx, PatchRequest.class, new PatchRequest(null, null, null, null, null));
            Responses.ok(ctx, api.sandboxes().patch(user, ctx.pathParam("id"), patch));
        });
        r.delete("/sandboxes/{id}", ctx -> {
            api.sandboxes().destroy(guard.user(ctx), ctx.pathParam("id"));
            Responses.ok(ctx, Map.of("status", SandboxStatus.DESTROYED.wire()));
        });
        r.post("/sandboxes/{id}/stop", ctx -> Responses.ok(ctx, api.sandboxes().stop(guard.user(ctx), ctx.pathParam("id"))));
        r.post("/sandboxes/{id}/start", ctx -> {
            User user = guard.user(ctx);
            StartBody body = Bodies.json(ctx, StartBody.class, new StartBody(false));
            Responses.ok(ctx, api.sandboxes().start(user, ctx.pathParam("id"), Boolean.TRUE.equals(body.force())));
        });
    }

    private void create(Context ctx) {
        User user = guard.user(ctx, RateLimits.Kind.CREATE);
        CreateRequest request = Bodies.json(ctx, CreateRequest.class, CreateRequest.empty());
        Creation.Result result = api.sandboxes().create(user, request);
        if (result.existing()) {
            ctx.header("X-Bhatti-Existing", "true");
        }
        Responses.json(ctx, result.existing() ? 200 : 201, api.sandboxes().view(result.row()));
    }
}
