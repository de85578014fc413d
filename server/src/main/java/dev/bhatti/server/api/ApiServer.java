package dev.bhatti.server.api;

import dev.bhatti.client.AgentException;
import dev.bhatti.engine.EngineException;
import dev.bhatti.server.store.StoreException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API (SPEC §4) on Javalin with virtual threads: auth before every route but health,
 * per-user rate limits, the routes of each feature, and every failure mapped to a status in
 * {@link ErrorResponses}. Every response carries {@code X-Bhatti-Version}.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);

    /** A group of routes. */
    public interface Routes {
        void register(JavalinDefaultRoutingApi routes);
    }

    private final Javalin app;

    public ApiServer(ApiContext api, String host, int port) {
        ErrorResponses errors = new ErrorResponses();
        Auth auth = new Auth(api.users());
        Guard guard = new Guard(api.newRateLimits(), api.sandboxes());
        Proxy proxy = new Proxy();
        PublicPreview preview = new PublicPreview(api, api.newRateLimits(), new Wakes(api.sandboxes()), proxy);
        List<Routes> groups = List.of(new SandboxRoutes(api, guard), new ExecRoutes(api, guard),
                new FileRoutes(api, guard), new ResourceRoutes(api, guard), new TerminalSocket(api, guard),
                new ProxyRoutes(api, guard, proxy), new PublishRoutes(api, guard), preview);
        this.app = Javalin.create(config -> {
            config.concurrency.useVirtualThreads = true;
            config.http.maxRequestSize = 200L << 20;
            config.http.prefer405over404 = true;
            config.startup.showJavalinBanner = false;
            config.jetty.host = host;
            config.jetty.port = port;
            config.jetty.modifyServer(server -> server.setErrorHandler(new JettyErrors()));
            config.routes.before(ctx -> {
                ctx.header("X-Bhatti-Version", api.version());
                if (!preview.serveByHost(ctx) && !isPublic(ctx, preview) && !isUpgrade(ctx)) {
                    auth.authenticate(ctx, false);
                }
            });
            config.routes.wsBeforeUpgrade(ctx -> {
                ctx.header("X-Bhatti-Version", api.version());
                if (!isPublic(ctx, preview)) {
                    auth.authenticate(ctx, true);
                }
            });
            config.routes.after(Guard::release);
            config.routes.get("/health", ctx -> Responses.ok(ctx, api.health().get()));
            config.routes.get(OpenApiDocument.PATH, OpenApiDocument::serve);
            groups.forEach(g -> g.register(config.routes));
            config.routes.exception(ApiException.class, errors::answer);
            config.routes.exception(EngineException.class, (e, ctx) -> errors.answer(ErrorResponses.fromEngine(e), ctx));
            config.routes.exception(StoreException.class, (e, ctx) -> store(errors, e, ctx));
            config.routes.exception(AgentException.class, (e, ctx) -> errors.answer(AgentErrors.map(e), ctx));
            config.routes.exception(HttpResponseException.class, (e, ctx) -> framework(errors, e, ctx));
            config.routes.exception(Exception.class, errors::internal);
        });
    }

    private static boolean isPublic(Context ctx, PublicPreview preview) {
        return ctx.path().equals("/health") || ctx.path().equals(OpenApiDocument.PATH) || preview.isPreview(ctx);
    }

    /** WebSocket upgrades are authenticated in {@code wsBeforeUpgrade}, where {@code ?token=} is accepted. */
    private static boolean isUpgrade(Context ctx) {
        return "websocket".equalsIgnoreCase(ctx.header("Upgrade"));
    }

    private static void store(ErrorResponses errors, StoreException e, Context ctx) {
        if (e instanceof StoreException.Failed) {
            errors.internal(e, ctx);
        } else {
            errors.answer(new ApiException.Conflict(e.code(), e.getMessage()), ctx);
        }
    }

    /** Javalin's own answers (no such route, wrong method, oversized body) in the API's error shape. */
    private static void framework(ErrorResponses errors, HttpResponseException e, Context ctx) {
        ApiException mapped = switch (e.getStatus()) {
            case 404 -> new ApiException.NotFound("route_not_found", "no route " + ctx.method() + " " + ctx.path());
            case 405 -> new ApiException.MethodNotAllowed("method " + ctx.method() + " is not allowed on " + ctx.path());
            case 413 -> new ApiException.TooLarge("request body too large");
            case 401 -> new ApiException.Unauthenticated("authorization required");
            default -> new ApiException.Invalid("bad_request", e.getMessage());
        };
        errors.answer(mapped, ctx);
    }

    /** Every registered route as {@code "METHOD path"} (WebSocket routes as GET), for the OpenAPI coverage test. */
    List<String> endpoints() {
        var router = app.unsafe.internalRouter;
        var http = router.allHttpHandlers().stream().map(e -> e.endpoint.method.name() + " " + e.endpoint.path);
        var ws = router.allWsHandlers().stream().map(e -> "GET " + e.getPath());
        return java.util.stream.Stream.concat(http, ws).distinct().sorted().toList();
    }

    public ApiServer start() {
        app.start();
        log.info("event=api_listening port={}", port());
        return this;
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }
}
