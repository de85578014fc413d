package dev.bhatti.server.api;

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
                new ProxyRoutes(api, guard, proxy), new PublishRoutes(api, guard), new CopyRoutes(api, guard),
                new EventRoutes(api, guard), new DashboardRoutes(), new E2bControlRoutes(api, guard), new E2bCopyRoutes(api, guard),
                new E2bEnvdRoutes(api, guard), preview);
        this.app = Javalin.create(config -> {
            config.concurrency.useVirtualThreads = true;
            config.http.maxRequestSize = 200L << 20;
            config.http.prefer405over404 = true;
            config.startup.showJavalinBanner = false;
            config.jetty.host = host;
            config.jetty.port = port;
            config.jetty.modifyServer(server -> server.setErrorHandler(new JettyErrors()));
            config.routes.before(ctx -> {
                ctx.attribute(STARTED, System.nanoTime());
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
            config.routes.after(ctx -> count(api, ctx));
            config.routes.get("/health", ctx -> Responses.ok(ctx, api.health().get()));
            config.routes.get(OpenApiDocument.PATH, OpenApiDocument::serve);
            groups.forEach(g -> g.register(config.routes));
            // every failure, and Javalin's own (HttpResponseException), is answered in ErrorResponses
            config.routes.exception(HttpResponseException.class, errors::answer);
            config.routes.exception(Exception.class, errors::answer);
        });
    }

    private static boolean isPublic(Context ctx, PublicPreview preview) {
        return ctx.path().equals("/health") || ctx.path().equals(OpenApiDocument.PATH) || preview.isPreview(ctx)
                || DashboardRoutes.isDashboard(ctx) || E2bEnvdRoutes.isEnvd(ctx);
    }

    private static final String STARTED = "bhatti.started";

    /** Counts the answered request in the metrics by its route template ("unmatched" when no route matched). */
    private static void count(ApiContext api, Context ctx) {
        Long t0 = ctx.attribute(STARTED);
        if (api.metrics() == null || t0 == null) {
            return;
        }
        var endpoint = ctx.endpoints().matchedHttpEndpoint();
        api.metrics().request(ctx.method().name(), endpoint == null ? "unmatched" : endpoint.path,
                ctx.statusCode(), System.nanoTime() - t0);
    }

    /** WebSocket upgrades are authenticated in {@code wsBeforeUpgrade}, where {@code ?token=} is accepted. */
    private static boolean isUpgrade(Context ctx) {
        return "websocket".equalsIgnoreCase(ctx.header("Upgrade"));
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
