package dev.bhatti.server.api;

import dev.bhatti.api.ErrorCode;
import dev.bhatti.server.sandbox.EnvVars;
import dev.bhatti.server.sandbox.Names;
import dev.bhatti.server.store.SecretRow;
import dev.bhatti.server.store.TemplateRow;
import dev.bhatti.server.store.User;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Templates, secrets (values never leave the daemon) and volumes (SPEC §4.2). */
final class ResourceRoutes implements ApiServer.Routes {
    private final ApiContext api;
    private final Guard guard;

    ResourceRoutes(ApiContext api, Guard guard) {
        this.api = api;
        this.guard = guard;
    }

    record TemplateBody(String name, String image, Integer cpus, Integer memoryMb, Map<String, String> env, String init,
                        List<String> secrets, dev.bhatti.api.model.NetworkPolicy network) {}

    record SecretBody(String name, String value) {}

    record VolumeBody(String name, Integer sizeMb) {}

    @Override
    public void register(JavalinDefaultRoutingApi r) {
        r.post("/templates", this::createTemplate);
        r.get("/templates", ctx -> Responses.ok(ctx, api.store().templates(guard.user(ctx).id()).stream()
                .map(this::templateView).toList()));
        r.get("/templates/{id}", ctx -> Responses.ok(ctx, templateView(api.store().template(guard.user(ctx).id(),
                ctx.pathParam("id")).orElseThrow(() -> templateNotFound(ctx)))));
        r.delete("/templates/{id}", ctx -> {
            String userId = guard.user(ctx).id();
            TemplateRow t = api.store().template(userId, ctx.pathParam("id")).orElseThrow(() -> templateNotFound(ctx));
            if (!api.store().deleteTemplate(userId, t.id())) {
                throw templateNotFound(ctx);
            }
            api.sandboxes().egress().forget(t.id());
            Responses.ok(ctx, Map.of("status", "deleted"));
        });
        r.post("/secrets", this::upsertSecret);
        r.get("/secrets", ctx -> Responses.ok(ctx, api.store().secrets(guard.user(ctx).id()).stream()
                .map(ResourceRoutes::secretView).toList()));
        r.delete("/secrets/{name}", ctx -> {
            if (!api.store().deleteSecret(guard.user(ctx).id(), ctx.pathParam("name"))) {
                throw new ApiException(ErrorCode.SECRET_NOT_FOUND, "secret " + ctx.pathParam("name") + " not found");
            }
            Responses.ok(ctx, Map.of("status", "deleted"));
        });
        r.post("/volumes", ctx -> {
            User user = guard.user(ctx);
            VolumeBody body = Bodies.json(ctx, VolumeBody.class, new VolumeBody(null, null));
            Responses.json(ctx, 201, api.volumes().create(user, body.name(), body.sizeMb()));
        });
        r.get("/volumes", ctx -> Responses.ok(ctx, api.volumes().list(guard.user(ctx))));
        r.get("/volumes/{name}", ctx -> Responses.ok(ctx, api.volumes().get(guard.user(ctx), ctx.pathParam("name"))));
        r.delete("/volumes/{name}", ctx -> {
            api.volumes().delete(guard.user(ctx), ctx.pathParam("name"));
            Responses.ok(ctx, Map.of("status", "deleted"));
        });
    }

    private void createTemplate(Context ctx) {
        User user = guard.user(ctx);
        TemplateBody b = Bodies.json(ctx, TemplateBody.class, new TemplateBody(null, null, null, null, null, null, null, null));
        Names.requireValid(b.name());
        EnvVars.requireSandboxEnv(b.env(), "env");
        if (b.cpus() != null && (b.cpus() < 1 || b.cpus() > user.limits().maxCpus())) {
            throw new ApiException(ErrorCode.INVALID_CPUS, "cpus must be 1.." + user.limits().maxCpus());
        }
        if (b.memoryMb() != null && (b.memoryMb() < 128 || b.memoryMb() > user.limits().maxMemoryMb())) {
            throw new ApiException(ErrorCode.INVALID_MEMORY, "memory_mb must be 128.." + user.limits().maxMemoryMb());
        }
        dev.bhatti.api.model.NetworkPolicy network = dev.bhatti.server.egress.EgressPolicies.normalized(b.network());
        TemplateRow row = new TemplateRow("tpl_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12),
                user.id(), b.name(), b.image(), b.cpus(), b.memoryMb(), b.env(), b.init(), b.secrets(), api.clock().instant());
        TemplateRow inserted = api.store().insertTemplate(row);
        api.sandboxes().egress().store(inserted.id(), network);
        Responses.json(ctx, 201, templateView(inserted));
    }

    private void upsertSecret(Context ctx) {
        User user = guard.user(ctx);
        SecretBody b = Bodies.json(ctx, SecretBody.class, new SecretBody(null, null));
        if (b.name() == null || !b.name().matches("[A-Za-z_][A-Za-z0-9_]{0,127}")) {
            throw new ApiException(ErrorCode.INVALID_NAME, "secret names are environment variable names "
                    + "([A-Za-z_][A-Za-z0-9_]*), got \"" + b.name() + "\"");
        }
        if (b.value() == null) {
            throw new ApiException(ErrorCode.INVALID_SECRET, "value is required");
        }
        Instant now = api.clock().instant();
        SecretRow stored = api.store().upsertSecret(new SecretRow(user.id(), b.name(), api.secrets().seal(b.value()), now, now));
        Responses.json(ctx, 201, secretView(stored));
    }

    private Map<String, Object> templateView(TemplateRow t) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", t.id());
        out.put("name", t.name());
        out.put("image", t.image());
        out.put("cpus", t.cpus());
        out.put("memory_mb", t.memoryMb());
        out.put("env", t.env());
        out.put("init", t.init());
        out.put("secrets", t.secrets());
        out.put("created_at", t.createdAt().toString());
        out.put("network", api.sandboxes().egress().of(t.id()));
        return out;
    }

    private static Map<String, Object> secretView(SecretRow row) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", row.name());
        out.put("created_at", row.createdAt().toString());
        out.put("updated_at", row.updatedAt().toString());
        return out;
    }

    private static ApiException templateNotFound(Context ctx) {
        return new ApiException(ErrorCode.TEMPLATE_NOT_FOUND, "template " + ctx.pathParam("id") + " not found");
    }
}
