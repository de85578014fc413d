package dev.bhatti.server.api;

import dev.bhatti.api.ErrorCode;
import dev.bhatti.client.AgentClient;
import dev.bhatti.client.FileReadStream;
import dev.bhatti.proto.FileInfo;
import dev.bhatti.proto.FileReadRequest;
import dev.bhatti.server.store.User;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code /sandboxes/:id/files}: read (whole or truncated), list, stat by HEAD, atomic write (SPEC §4.2). */
final class FileRoutes implements ApiServer.Routes {
    private static final Logger log = LoggerFactory.getLogger(FileRoutes.class);
    /** SPEC §9. */
    static final long MAX_WRITE = 100L << 20;

    private final ApiContext api;
    private final Guard guard;

    FileRoutes(ApiContext api, Guard guard) {
        this.api = api;
        this.guard = guard;
    }

    @Override
    public void register(JavalinDefaultRoutingApi r) {
        r.get("/sandboxes/{id}/files", this::read);
        r.head("/sandboxes/{id}/files", this::stat);
        r.put("/sandboxes/{id}/files", this::write);
    }

    /**
     * Whole reads carry {@code Content-Length} (the total size); truncated reads commit the headers
     * before the first byte, so they go out chunked and no length can be mistaken for the file's.
     * A size of 0 also goes out chunked: an agent from before procfs reads were sized reports 0 for
     * {@code /proc/version} and then sends content, which a {@code Content-Length: 0} would refuse.
     */
    private void read(Context ctx) throws IOException {
        User user = guard.user(ctx);
        String path = path(ctx);
        // The query is checked before the sandbox is woken: a bad request never costs a wake.
        FileReadRequest request = new FileReadRequest(path, number(ctx, "offset", ErrorCode.INVALID_OFFSET),
                number(ctx, "limit", ErrorCode.INVALID_LIMIT), number(ctx, "max_bytes", ErrorCode.INVALID_MAX_BYTES));
        AgentClient agent = guard.agent(ctx, user, ctx.pathParam("id"));
        if ("true".equals(ctx.queryParam("ls"))) {
            Responses.ok(ctx, agent.list(path));
            return;
        }
        boolean truncated = request.offset() != null || request.limit() != null || request.maxBytes() != null;
        try (FileReadStream in = agent.openRead(request)) {
            long size = in.response().size();
            ctx.status(200).contentType("application/octet-stream").header("X-File-Size", Long.toString(size));
            if (truncated || size == 0) {
                ctx.res().flushBuffer();
            } else {
                ctx.res().setContentLengthLong(size);
            }
            long sent = 0;
            byte[] buf = new byte[64 * 1024];
            try {
                for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                    ctx.res().getOutputStream().write(buf, 0, n);
                    sent += n;
                }
            } catch (IOException e) {
                if (truncated || sent < size) {
                    throw e;
                }
                // every byte went out; the agent's connection ended before its EXIT (the client
                // moved on, e.g. destroyed the sandbox): nothing the client could miss
                log.debug("event=file_read_end_lost sandbox={} path={} error=\"{}\"", ctx.pathParam("id"), path, e.getMessage());
            }
        }
    }

    private void stat(Context ctx) throws IOException {
        User user = guard.user(ctx);
        FileInfo info = guard.agent(ctx, user, ctx.pathParam("id")).stat(path(ctx));
        ctx.status(200).header("X-File-Size", Long.toString(info.size())).header("X-File-Mode", info.mode())
                .header("X-File-IsDir", Boolean.toString(info.isDir()));
    }

    private void write(Context ctx) throws IOException {
        User user = guard.user(ctx, RateLimits.Kind.HEAVY);
        String path = path(ctx);
        long length = ctx.req().getContentLengthLong();
        if (length < 0) {
            throw new ApiException(ErrorCode.LENGTH_REQUIRED, "PUT of " + path + " needs a Content-Length header");
        }
        if (length > MAX_WRITE) {
            throw new ApiException(ErrorCode.PAYLOAD_TOO_LARGE, "file of " + length + " bytes is over the 100 MiB limit");
        }
        String mode = ctx.queryParam("mode");
        if (mode != null && !mode.matches("0?[0-7]{3,4}")) {
            throw new ApiException(ErrorCode.INVALID_MODE, "mode must be octal like 0644, got " + mode);
        }
        AgentClient agent = guard.agent(ctx, user, ctx.pathParam("id"));
        try (InputStream body = ctx.bodyInputStream()) {
            agent.writeFile(path, mode, length, body);
        }
        Responses.ok(ctx, Map.of("status", "ok"));
    }

    private static String path(Context ctx) {
        String path = ctx.queryParam("path");
        if (path == null || path.isEmpty()) {
            throw new ApiException(ErrorCode.INVALID_PATH, "query parameter path is required");
        }
        if (path.indexOf('\0') >= 0) {
            throw new ApiException(ErrorCode.INVALID_PATH, "query parameter path contains a NUL byte");
        }
        return path;
    }

    private static Long number(Context ctx, String name, ErrorCode invalid) {
        String v = ctx.queryParam(name);
        if (v == null) {
            return null;
        }
        try {
            long n = Long.parseLong(v);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n == 0 ? null : n;
        } catch (NumberFormatException e) {
            throw new ApiException(invalid, name + " must be a non-negative integer, got " + v);
        }
    }
}
