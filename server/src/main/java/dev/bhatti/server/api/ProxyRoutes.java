package dev.bhatti.server.api;

import dev.bhatti.api.ErrorCode;
import dev.bhatti.server.proxy.ProxyRequest;
import dev.bhatti.server.sandbox.Sandboxes;
import dev.bhatti.server.store.SandboxRow;
import dev.bhatti.server.store.User;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.util.List;

/**
 * {@code ANY /sandboxes/:id/proxy/:port/*} (SPEC §4.2): HTTP (streamed), and WebSocket upgrades
 * relayed both ways, to {@code localhost:<port>} in the sandbox. The caller's API key is never
 * passed on: neither its {@code Authorization} header nor a {@code token} query parameter.
 */
final class ProxyRoutes implements ApiServer.Routes {
    static final List<HandlerType> METHODS = List.of(HandlerType.GET, HandlerType.POST, HandlerType.PUT,
            HandlerType.PATCH, HandlerType.DELETE, HandlerType.HEAD, HandlerType.OPTIONS);
    static final List<String> PATHS = List.of("/sandboxes/{id}/proxy/{port}", "/sandboxes/{id}/proxy/{port}/<rest>");
    /** The path segments before the upstream's path: sandboxes, id, proxy, port. */
    private static final int PREFIX_SEGMENTS = 4;
    private static final long MAX_BODY = 200L << 20;

    private final ApiContext api;
    private final Guard guard;
    private final Proxy proxy;

    ProxyRoutes(ApiContext api, Guard guard, Proxy proxy) {
        this.api = api;
        this.guard = guard;
        this.proxy = proxy;
    }

    @Override
    public void register(JavalinDefaultRoutingApi r) {
        for (String path : PATHS) {
            for (HandlerType method : METHODS) {
                r.addHttpHandler(method, path, this::http);
            }
            r.wsBeforeUpgrade(path, this::beforeUpgrade);
            proxy.register(r, path);
        }
    }

    private void http(Context ctx) throws Exception {
        User user = guard.user(ctx);
        int port = Proxy.port(ctx.pathParam("port"));
        SandboxRow row = api.sandboxes().row(user, ctx.pathParam("id"));
        if (ctx.req().getContentLengthLong() > MAX_BODY) {
            // Refused before the sandbox is woken: a body that cannot be relayed never costs a wake.
            throw new ApiException(ErrorCode.PAYLOAD_TOO_LARGE, "request body is larger than " + (MAX_BODY >> 20) + " MiB");
        }
        ProxyRequest request = ProxyRequest.of(ctx.req(), ProxyRequest.target(ctx.req(), PREFIX_SEGMENTS), true);
        Proxy.http(ctx, row.id(), guard.agent(ctx, user, row.id())::forward, port, request, MAX_BODY, null);
    }

    private void beforeUpgrade(Context ctx) throws Exception {
        User user = guard.user(Caller.of(ctx), RateLimits.Kind.HEAVY);
        int port = Proxy.port(ctx.pathParam("port"));
        Sandboxes.Hot hot = api.sandboxes().hot(user, ctx.pathParam("id"));
        Proxy.prepareWs(ctx, hot.id(), port, ProxyRequest.target(ctx.req(), PREFIX_SEGMENTS), true,
                hot.agent()::forward, hot);
    }
}
