package dev.bhatti.server.api;

import dev.bhatti.server.e2b.Connect;
import dev.bhatti.api.ErrorCode;
import dev.bhatti.client.AgentException;
import dev.bhatti.engine.EngineException;
import dev.bhatti.server.secrets.SecretBoxException;
import dev.bhatti.server.store.StoreException;
import dev.bhatti.server.users.UserException;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become HTTP: each failure type has its {@link ErrorCode}, the code
 * has its status, and the body is {@code {"error": message, "code": code}} (SPEC §4). An internal
 * error answers only {@code internal_error} and a request id; the details go to the log.
 */
final class ErrorResponses {
    private static final Logger log = LoggerFactory.getLogger(ErrorResponses.class);
    private static final String INTERNAL_MESSAGE = "internal error";
    private final SecureRandom random = new SecureRandom();

    /** What a failure means to the caller: {@link ErrorCode#INTERNAL_ERROR} for anything unexpected. */
    static ApiException of(Exception e, Context ctx) {
        return switch (e) {
            case ApiException a -> a;
            case EngineException.VmmFailed v -> new ApiException(v.code(), firstLine(v.getMessage()));
            case EngineException.VmmDied d -> new ApiException(d.code(), firstLine(d.getMessage()));
            case EngineException x -> new ApiException(x.code(), x.getMessage());
            case StoreException s -> new ApiException(s.code(), s.getMessage());
            case UserException u -> new ApiException(u.code(), u.getMessage());
            case AgentException a -> AgentErrors.map(a);
            case HttpResponseException h -> framework(h, ctx);
            case SecretBoxException _ -> internal();
            default -> internal();
        };
    }

    /** The code of Jetty's own answer with this status, for requests that never reach a route. */
    static ErrorCode ofJettyStatus(int status) {
        return switch (status) {
            case 414 -> ErrorCode.URI_TOO_LONG;
            case 426 -> ErrorCode.UPGRADE_REQUIRED;
            case 431 -> ErrorCode.HEADERS_TOO_LARGE;
            default -> ErrorCode.BAD_REQUEST;
        };
    }

    /** Answers {@code e}; an internal error is logged under the request id that the body names. */
    void answer(Exception e, Context ctx) {
        if (e instanceof Connect.Error c) {
            Responses.json(ctx, c.status(), c.json());
            return;
        }
        ApiException failure = of(e, ctx);
        boolean internal = failure.code() == ErrorCode.INTERNAL_ERROR;
        String message = internal ? INTERNAL_MESSAGE : failure.getMessage();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        body.put("code", failure.code().code());
        if (internal) {
            String requestId = "req_" + HexFormat.of().formatHex(bytes(8));
            log.error("event=internal_error request_id={} method={} path={}", requestId, ctx.method(), ctx.path(), e);
            body.put("request_id", requestId);
            message += " (request " + requestId + ")";
        }
        failure.retryAfterSec().ifPresent(s -> ctx.header("Retry-After", Integer.toString(s)));
        int status = failure.code().status();
        if ("websocket".equalsIgnoreCase(ctx.header("Upgrade"))) {
            refuseUpgrade(ctx, status, body);
        } else if (E2bEnvdRoutes.isRpc(ctx)) {
            Connect.Error c = connectError(failure.code(), message);
            Responses.json(ctx, c.status(), c.json());
        } else if (ctx.path().startsWith(E2bControlRoutes.PREFIX + "/") || ctx.path().startsWith(E2bEnvdRoutes.PREFIX + "/")) {
            // E2B's error body: the SDK reads the status from "code" (e.g. kill of an unknown sandbox is false on 404)
            Responses.json(ctx, status, Map.of("code", status, "message", message));
        } else {
            Responses.json(ctx, status, body);
        }
    }

    /** A failure as a Connect error of an E2B in-sandbox call, by the family of its code. */
    static Connect.Error connectError(ErrorCode code, String message) {
        String connect = switch (code.family()) {
            case INVALID, LENGTH_REQUIRED, URI_TOO_LONG, HEADERS_TOO_LARGE -> "invalid_argument";
            case UNAUTHENTICATED -> "unauthenticated";
            case FORBIDDEN -> "permission_denied";
            case NOT_FOUND, METHOD_NOT_ALLOWED -> code == ErrorCode.ROUTE_NOT_FOUND || code == ErrorCode.METHOD_NOT_ALLOWED
                    ? "unimplemented" : "not_found";
            case CONFLICT -> "failed_precondition";
            case TOO_LARGE, LIMITED, INSUFFICIENT_STORAGE -> "resource_exhausted";
            case UPSTREAM, UNAVAILABLE, UPGRADE_REQUIRED -> "unavailable";
            case TIMED_OUT -> "deadline_exceeded";
            case INTERNAL -> "internal";
        };
        return new Connect.Error(connect, message);
    }

    /**
     * A refused WebSocket upgrade: Javalin does not write a result set before the upgrade, so the
     * error body is written here, making it the same JSON as any other refusal.
     */
    private static void refuseUpgrade(Context ctx, int status, Map<String, Object> body) {
        byte[] json = dev.bhatti.proto.Json.encode(body);
        try {
            ctx.res().setStatus(status);
            ctx.res().setContentType("application/json");
            ctx.res().setContentLength(json.length);
            ctx.res().getOutputStream().write(json);
            ctx.res().flushBuffer();
        } catch (java.io.IOException e) {
            log.debug("event=upgrade_refusal_unsent status={} error=\"{}\"", status, e.getMessage());
        }
    }

    private static ApiException internal() {
        return new ApiException(ErrorCode.INTERNAL_ERROR, INTERNAL_MESSAGE);
    }

    /** Javalin's own answers (no such route, wrong method, oversized body) in the API's error shape. */
    private static ApiException framework(HttpResponseException e, Context ctx) {
        return switch (e.getStatus()) {
            case 404 -> new ApiException(ErrorCode.ROUTE_NOT_FOUND, "no route " + ctx.method() + " " + ctx.path());
            case 405 -> new ApiException(ErrorCode.METHOD_NOT_ALLOWED,
                    "method " + ctx.method() + " is not allowed on " + ctx.path());
            case 413 -> new ApiException(ErrorCode.PAYLOAD_TOO_LARGE, "request body too large");
            case 401 -> new ApiException(ErrorCode.UNAUTHORIZED, "authorization required");
            default -> new ApiException(ErrorCode.BAD_REQUEST, e.getMessage());
        };
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
