package dev.bhatti.server.api;

import dev.bhatti.api.ErrorCode;
import dev.bhatti.server.proxy.ProxyRequest;
import dev.bhatti.server.sandbox.Sandboxes;
import dev.bhatti.server.store.PublishRow;
import dev.bhatti.server.store.SandboxRow;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Public preview traffic (SPEC §4.2), without auth: by Host {@code <alias>.<zone>} when a proxy
 * zone is configured, else by path {@code /p/<alias>/...}. A sleeping sandbox is woken through
 * {@link Wakes}; each client IP and each alias has its own rate limit; bodies are capped at 50
 * MiB and an exchange at 5 minutes. WebSockets are relayed on the path form.
 */
final class PublicPreview implements ApiServer.Routes {
    static final long MAX_BODY = 50L << 20;
    static final Duration DEADLINE = Duration.ofMinutes(5);
    private static final List<String> PATHS = List.of("/p/{alias}", "/p/{alias}/<rest>");
    /** The path segments before the upstream's path on the path form: p, alias. */
    private static final int PATH_PREFIX_SEGMENTS = 2;

    private final ApiContext api;
    private final RateLimits limits;
    private final Wakes wakes;
    private final Proxy proxy;

    PublicPreview(ApiContext api, RateLimits limits, Wakes wakes, Proxy proxy) {
        this.api = api;
        this.limits = limits;
        this.wakes = wakes;
        this.proxy = proxy;
    }

    /** Whether the request is public preview traffic (no API key wanted). */
    boolean isPreview(Context ctx) {
        return api.proxyZone() == null ? ctx.path().startsWith("/p/") : aliasByHost(ctx) != null;
    }

    /** A before-handler: serves a request addressed to {@code <alias>.<zone>} entirely. */
    boolean serveByHost(Context ctx) throws Exception {
        String alias = aliasByHost(ctx);
        if (alias == null) {
            return false;
        }
        ctx.skipRemainingHandlers();
        http(ctx, alias, ProxyRequest.target(ctx.req(), 0));
        return true;
    }

    private String aliasByHost(Context ctx) {
        String zone = api.proxyZone();
        String host = ctx.header("Host");
        if (zone == null || host == null) {
            return null;
        }
        host = host.toLowerCase(Locale.ROOT);
        int colon = host.lastIndexOf(':');
        if (colon > 0 && !host.endsWith("]")) {
            host = host.substring(0, colon);
        }
        String suffix = "." + zone.toLowerCase(Locale.ROOT);
        if (!host.endsWith(suffix)) {
            return null;
        }
        String alias = host.substring(0, host.length() - suffix.length());
        return alias.isEmpty() || alias.contains(".") ? null : alias;
    }

    @Override
    public void register(JavalinDefaultRoutingApi r) {
        if (api.proxyZone() != null) {
            return;
        }
        for (String path : PATHS) {
            for (HandlerType method : ProxyRoutes.METHODS) {
                r.addHttpHandler(method, path, ctx -> http(ctx, ctx.pathParam("alias"),
                        ProxyRequest.target(ctx.req(), PATH_PREFIX_SEGMENTS)));
            }
            r.wsBeforeUpgrade(path, this::beforeUpgrade);
            proxy.register(r, path);
        }
    }

    private void http(Context ctx, String alias, String target) throws Exception {
        Published p = resolve(ctx, alias, () -> {
            // Before the wake: a body that cannot be relayed never wakes the sandbox.
            if (ctx.req().getContentLengthLong() > MAX_BODY) {
                throw new ApiException(ErrorCode.PAYLOAD_TOO_LARGE, "request body is larger than " + (MAX_BODY >> 20) + " MiB");
            }
        });
        ProxyRequest request = ProxyRequest.of(ctx.req(), target, false);
        try (Sandboxes.Hot hot = api.sandboxes().hot(p.sandbox())) {
            Proxy.http(ctx, hot.id(), hot.agent()::forward, p.rule().port(), request, MAX_BODY, DEADLINE);
        }
    }

    private void beforeUpgrade(Context ctx) throws Exception {
        Published p = resolve(ctx, ctx.pathParam("alias"), () -> { });
        Sandboxes.Hot hot = api.sandboxes().hot(p.sandbox());
        Proxy.prepareWs(ctx, hot.id(), p.rule().port(), ProxyRequest.target(ctx.req(), PATH_PREFIX_SEGMENTS), false,
                hot.agent()::forward, hot);
    }

    private record Published(PublishRow rule, SandboxRow sandbox) {}

    /** Rate limits, the rule of the alias (404 if none), {@code check}, and then its sandbox woken. */
    private Published resolve(Context ctx, String alias, Runnable check) {
        limits.acquire("ip:" + ctx.ip(), RateLimits.Kind.PUBLIC_IP);
        limits.acquire("alias:" + alias, RateLimits.Kind.PUBLIC_ALIAS);
        PublishRow rule = api.store().publishByAlias(alias).orElseThrow(() -> notFound(alias));
        SandboxRow row = api.store().sandboxById(rule.sandboxId()).orElseThrow(() -> notFound(alias));
        check.run();
        wakes.wake(row);
        return new Published(rule, api.store().sandboxById(row.id()).orElseThrow(() -> notFound(alias)));
    }

    private static ApiException notFound(String alias) {
        return new ApiException(ErrorCode.ALIAS_NOT_FOUND, "nothing is published under '" + alias + "'");
    }
}
