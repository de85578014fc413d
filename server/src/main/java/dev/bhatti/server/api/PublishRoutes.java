package dev.bhatti.server.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.bhatti.api.ErrorCode;
import dev.bhatti.server.store.PublishRow;
import dev.bhatti.server.store.SandboxRow;
import dev.bhatti.server.store.StoreException;
import dev.bhatti.server.store.User;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code POST/GET /sandboxes/:id/publish}, {@code DELETE /sandboxes/:id/publish/:port} (SPEC
 * §4.2): rules that make a port of a sandbox public under an alias, served by {@link PublicPreview}.
 */
final class PublishRoutes implements ApiServer.Routes {
    static final Pattern ALIAS = Pattern.compile("^[a-z0-9][a-z0-9-]{0,62}$");
    static final Set<String> RESERVED = Set.of("www", "mail", "admin", "api", "app", "status");
    private static final int AUTO_ATTEMPTS = 5;

    private final ApiContext api;
    private final Guard guard;
    private final SecureRandom random = new SecureRandom();

    /** The body of {@code POST /sandboxes/:id/publish}. */
    record PublishRequest(Integer port, String alias) {}

    /** A rule as the API shows it. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record PublishView(String id, String sandboxId, int port, String alias, String url, String createdAt) {}

    PublishRoutes(ApiContext api, Guard guard) {
        this.api = api;
        this.guard = guard;
    }

    @Override
    public void register(JavalinDefaultRoutingApi r) {
        r.post("/sandboxes/{id}/publish", this::publish);
        r.get("/sandboxes/{id}/publish", ctx -> {
            User user = guard.user(ctx);
            SandboxRow row = api.sandboxes().row(user, ctx.pathParam("id"));
            Responses.ok(ctx, api.store().publishRules(user.id(), row.id()).stream().map(p -> view(ctx, p)).toList());
        });
        r.delete("/sandboxes/{id}/publish/{port}", ctx -> {
            User user = guard.user(ctx);
            SandboxRow row = api.sandboxes().row(user, ctx.pathParam("id"));
            int port = Proxy.port(ctx.pathParam("port"));
            if (!api.store().deletePublish(user.id(), row.id(), port)) {
                throw new ApiException(ErrorCode.PUBLISH_NOT_FOUND, "port " + port + " of sandbox " + row.name() + " is not published");
            }
            ctx.status(204);
        });
    }

    private void publish(Context ctx) {
        User user = guard.user(ctx);
        SandboxRow row = api.sandboxes().row(user, ctx.pathParam("id"));
        PublishRequest body = Bodies.json(ctx, PublishRequest.class, new PublishRequest(null, null));
        if (body.port() == null) {
            throw new ApiException(ErrorCode.INVALID_PORT, "port is required");
        }
        int port = Proxy.port(body.port().toString());
        if (body.alias() != null) {
            validate(body.alias());
        }
        for (int attempt = 1; ; attempt++) {
            String alias = body.alias() != null ? body.alias() : autoAlias(row.name());
            PublishRow wanted = new PublishRow("pub_" + hex(8), user.id(), row.id(), port, alias, api.clock().instant());
            try {
                PublishRow saved = api.store().insertPublish(wanted);
                boolean existing = !saved.id().equals(wanted.id());
                if (existing) {
                    ctx.header("X-Bhatti-Existing", "true");
                }
                Responses.json(ctx, existing ? 200 : 201, view(ctx, saved));
                return;
            } catch (StoreException.AliasConflict e) {
                if (body.alias() != null || attempt == AUTO_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    static void validate(String alias) {
        if (!ALIAS.matcher(alias).matches()) {
            throw new ApiException(ErrorCode.INVALID_ALIAS, "alias '" + alias
                    + "' must be 1-63 lowercase letters, digits or '-', starting with a letter or digit");
        }
        if (RESERVED.contains(alias)) {
            throw new ApiException(ErrorCode.INVALID_ALIAS, "alias '" + alias + "' is reserved");
        }
    }

    /** {@code <name>-<6 hex>}, the name folded into the alias alphabet. */
    private String autoAlias(String name) {
        String folded = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-").replaceAll("^-+", "");
        if (folded.length() > 55) {
            folded = folded.substring(0, 55);
        }
        return (folded.isEmpty() ? "sandbox" : folded) + "-" + hex(3);
    }

    private String hex(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private PublishView view(Context ctx, PublishRow p) {
        return new PublishView(p.id(), p.sandboxId(), p.port(), p.alias(), url(ctx, p.alias()), p.createdAt().toString());
    }

    /** {@code <scheme>://<alias>.<zone>[:port]/} with a zone, else {@code <scheme>://<api host>/p/<alias>/}. */
    private String url(Context ctx, String alias) {
        String host = ctx.host() == null ? "localhost" : ctx.host();
        String zone = api.proxyZone();
        if (zone == null) {
            return ctx.scheme() + "://" + host + "/p/" + alias + "/";
        }
        int colon = host.lastIndexOf(':');
        String port = colon > 0 && !host.endsWith("]") ? host.substring(colon) : "";
        return ctx.scheme() + "://" + alias + "." + zone + port + "/";
    }
}
