package dev.bhatti.server.api;

import dev.bhatti.engine.EngineException;
import io.javalin.http.Context;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place where failures become HTTP statuses and `{"error", "code"}` bodies (SPEC §4). */
final class ErrorResponses {
    private static final Logger log = LoggerFactory.getLogger(ErrorResponses.class);
    private final SecureRandom random = new SecureRandom();

    static int status(ApiException e) {
        return switch (e) {
            case ApiException.Invalid i -> 400;
            case ApiException.Unauthenticated u -> 401;
            case ApiException.NotFound n -> 404;
            case ApiException.MethodNotAllowed m -> 405;
            case ApiException.Conflict c -> 409;
            case ApiException.LengthRequired l -> 411;
            case ApiException.TooLarge t -> 413;
            case ApiException.Limited l -> 429;
            case ApiException.Unavailable u -> 503;
            case ApiException.BadGateway b -> 502;
            case ApiException.Busy b -> 503;
            case ApiException.InsufficientStorage s -> 507;
        };
    }

    /** Engine failures the API can explain; anything else is internal. */
    static ApiException fromEngine(EngineException e) {
        return switch (e) {
            case EngineException.NotFound n -> new ApiException.NotFound("sandbox_not_found", n.getMessage());
            case EngineException.InvalidSpec i -> new ApiException.Invalid("invalid_request", i.getMessage());
            case EngineException.PoolExhausted p -> new ApiException.Limited(p.code(), p.getMessage());
            case EngineException.SnapshotUnusable s -> new ApiException.Unavailable(s.code(), s.getMessage());
            case EngineException.NotHot h -> new ApiException.Unavailable(h.code(), h.getMessage());
            case EngineException.VmmFailed v -> new ApiException.Unavailable(v.code(), firstLine(v.getMessage()));
            default -> new ApiException.Unavailable(e.code(), firstLine(e.getMessage()));
        };
    }

    void answer(ApiException e, Context ctx) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", e.getMessage());
        body.put("code", e.code());
        if (e instanceof ApiException.Busy busy) {
            ctx.header("Retry-After", Integer.toString(busy.retryAfterSec()));
        }
        Responses.json(ctx, status(e), body);
    }

    /** 500 with only a request id; the details go to the log under that id. */
    void internal(Exception e, Context ctx) {
        String requestId = "req_" + HexFormat.of().formatHex(bytes(8));
        log.error("event=internal_error request_id={} method={} path={}", requestId, ctx.method(), ctx.path(), e);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", "internal error");
        body.put("request_id", requestId);
        Responses.json(ctx, 500, body);
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "the sandbox's VM failed";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
