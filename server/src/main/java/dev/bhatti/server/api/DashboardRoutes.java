package dev.bhatti.server.api;

import dev.bhatti.api.ErrorCode;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The dashboard (docs/dashboard.md): {@code GET /} is its page, {@code GET /ui/<file>} its scripts,
 * styles and the vendored xterm.js, all from the daemon's jar (resources under {@code dashboard/}).
 * No key is needed for these files; the page asks for one and sends it as a Bearer header. The
 * content security policy allows nothing from another origin.
 */
final class DashboardRoutes implements ApiServer.Routes {
    static final String ROOT = "/";
    static final String PREFIX = "/ui/";
    private static final String RESOURCES = "/dashboard/";
    /**
     * Scripts only from this origin, never inline; inline styles are allowed because xterm.js
     * writes its cell sizes and colours into style elements it makes (docs/decisions/0028).
     */
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "connect-src 'self' ws: wss:; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
    private static final Pattern FILE = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._/-]{0,200}");
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8", "mjs", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8", "svg", "image/svg+xml", "png", "image/png", "ico", "image/x-icon");

    @Override
    public void register(JavalinDefaultRoutingApi r) {
        r.get(ROOT, ctx -> serve(ctx, "index.html"));
        r.get(PREFIX + "<file>", ctx -> serve(ctx, ctx.pathParam("file")));
    }

    /** Whether a request is for the dashboard's files (they need no key). */
    static boolean isDashboard(Context ctx) {
        String path = ctx.path();
        return path.equals(ROOT) || path.startsWith(PREFIX);
    }

    private static void serve(Context ctx, String file) throws IOException {
        String ext = file.substring(file.lastIndexOf('.') + 1);
        String type = TYPES.get(ext);
        InputStream in = !FILE.matcher(file).matches() || file.contains("..") || type == null ? null
                : DashboardRoutes.class.getResourceAsStream(RESOURCES + file);
        if (in == null) {
            throw new ApiException(ErrorCode.ROUTE_NOT_FOUND, "no dashboard file " + PREFIX + file);
        }
        try (in) {
            ctx.status(200).contentType(type);
            ctx.header("Content-Security-Policy", CSP);
            ctx.header("X-Content-Type-Options", "nosniff");
            ctx.header("Referrer-Policy", "no-referrer");
            // vendored libraries change only with their pinned version; the dashboard's own files on every build
            ctx.header("Cache-Control", file.startsWith("vendor/") ? "public, max-age=86400" : "no-cache");
            ctx.result(in.readAllBytes());
        }
    }
}
